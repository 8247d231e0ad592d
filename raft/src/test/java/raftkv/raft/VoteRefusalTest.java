package raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static raftkv.raft.Drive.config;
import static raftkv.raft.Drive.core;
import static raftkv.raft.Drive.log;
import static raftkv.raft.Drive.step;

import org.junit.jupiter.api.Test;
import raftkv.raft.Message.Heartbeat;
import raftkv.raft.Message.VoteRequest;
import raftkv.raft.Message.VoteResponse;

/**
 * What a refused pre-vote tells the pre-candidate, so that it stops campaigning sooner: the leader
 * the voter follows (a hint), a heartbeat when the leader itself was asked, and, from a voter
 * that campaigns itself with a better log, that voter's own request.
 */
class VoteRefusalTest {
    private static final int NONE = RaftCore.NONE;

    @Test
    void aLeaderAskedForAPreVoteByAMemberATermBehindAnswersWithAHeartbeat() {
        RaftCore leader = core(config(1), 5);
        Drive.elect(leader, 2, 3);
        long term = leader.term();
        Drive.Out out = step(leader, new VoteRequest(4, 1, term, 0, 0, true, false));
        assertThat(out.sent(VoteResponse.class)).isEmpty();
        assertThat(out.sent(Heartbeat.class)).singleElement().extracting(Message::to).isEqualTo(4);
        assertThat(leader.role()).isEqualTo(Role.LEADER);
    }

    @Test
    void aPreCandidateFromAnOlderTermFollowsTheLeaderItsRefusalNames() {
        RaftCore c = core(config(1), 5, new HardState(1, NONE, 0), log(1));
        Drive.flush(c);
        Drive.timeOut(c);
        assertThat(c.role()).isEqualTo(Role.PRE_CANDIDATE);
        step(c, new VoteResponse(3, 1, 2, false, true, 0, 4));
        assertThat(c.role()).isEqualTo(Role.FOLLOWER);
        assertThat(c.term()).isEqualTo(2);
        assertThat(c.leader()).isEqualTo(4);
    }

    @Test
    void aRefusalWithoutAHintLeavesTheOlderPreCandidateFollowingNobody() {
        RaftCore c = core(config(1), 5, new HardState(1, NONE, 0), log(1));
        Drive.flush(c);
        Drive.timeOut(c);
        step(c, new VoteResponse(3, 1, 2, false, true));
        assertThat(c.leader()).isEqualTo(NONE);
    }

    @Test
    void aPreCandidateRefusingABehindPreVoteAsksThatVoterForItsOwn() {
        RaftCore c = core(config(1), 5, new HardState(2, NONE, 0), log(1, 2, 2));
        Drive.flush(c);
        Drive.timeOut(c);
        assertThat(c.role()).isEqualTo(Role.PRE_CANDIDATE);
        Drive.Out out = step(c, new VoteRequest(3, 1, 3, 1, 1, true, false));
        assertThat(out.sent(VoteResponse.class)).singleElement().extracting(VoteResponse::granted).isEqualTo(false);
        assertThat(out.sent(VoteRequest.class)).singleElement()
                .isEqualTo(new VoteRequest(1, 3, 3, 3, 2, true, false));
    }

    @Test
    void aVoterThatAlreadyAnsweredIsNotAskedAgain() {
        RaftCore c = core(config(1), 5, new HardState(2, NONE, 0), log(1, 2, 2));
        Drive.flush(c);
        Drive.timeOut(c);
        step(c, new VoteResponse(3, 1, 3, true, true));
        assertThat(step(c, new VoteRequest(3, 1, 3, 1, 1, true, false)).sent(VoteRequest.class)).isEmpty();
    }
}
