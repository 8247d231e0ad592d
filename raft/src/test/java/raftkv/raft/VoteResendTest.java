package raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static raftkv.raft.Drive.config;
import static raftkv.raft.Drive.core;
import static raftkv.raft.Drive.step;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import raftkv.raft.Message.VoteRequest;
import raftkv.raft.Message.VoteResponse;

/**
 * A real campaign after a won pre-vote asks again only the voters that granted the pre-vote, and
 * twice even under light loss: the others are most likely across a partition, and the granters
 * are all the candidate has.
 */
class VoteResendTest {
    private static final int RETRANSMIT = 3;
    private static final RaftConfig CFG = config(1).withRetransmitTicks(RETRANSMIT);

    /** Node 1 of five under light loss, past a pre-vote that voters 2 and 3 granted: now a candidate. */
    private static RaftCore candidate() {
        RaftCore c = core(CFG, 5, new HardState(1, RaftCore.NONE, 0), List.of()); // term 0 skips the pre-vote
        c.hintMessageLoss(false);
        Drive.flush(c);
        Drive.timeOut(c);
        assertThat(c.role()).isEqualTo(Role.PRE_CANDIDATE);
        step(c, new VoteResponse(2, 1, c.term() + 1, true, true));
        step(c, new VoteResponse(3, 1, c.term() + 1, true, true));
        assertThat(c.role()).isEqualTo(Role.CANDIDATE);
        return c;
    }

    /** Every vote request the core sends in the next {@code ticks} ticks. */
    private static List<VoteRequest> asked(RaftCore c, int ticks) {
        List<VoteRequest> out = new ArrayList<>();
        for (int i = 0; i < ticks && c.role() == Role.CANDIDATE; i++) out.addAll(Drive.tick(c, 1).sent(VoteRequest.class));
        return out;
    }

    @Test
    void onlyTheSilentPreVoteGrantersAreAskedAgainAndTwice() {
        RaftCore c = candidate();
        step(c, new VoteResponse(2, 1, c.term(), true, false));
        List<VoteRequest> again = asked(c, CFG.electionTicks() - 1);
        assertThat(again).extracting(Message::to).containsExactly(3, 3);
        assertThat(again).noneMatch(VoteRequest::preVote);
    }

    @Test
    void aCampaignWithoutAPreVoteStillAsksEverySilentVoterOnceUnderLightLoss() {
        RaftCore c = core(CFG.withPreVote(false), 5);
        c.hintMessageLoss(false);
        Drive.flush(c);
        Drive.timeOut(c);
        assertThat(asked(c, CFG.electionTicks() - 1)).extracting(Message::to).containsExactlyInAnyOrder(2, 3, 4, 5);
    }
}
