package raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static raftkv.raft.Drive.config;
import static raftkv.raft.Drive.core;
import static raftkv.raft.Drive.log;
import static raftkv.raft.Drive.step;

import java.util.List;
import org.junit.jupiter.api.Test;
import raftkv.raft.Message.Heartbeat;
import raftkv.raft.Message.VoteRequest;
import raftkv.raft.Message.VoteResponse;

/**
 * A follower past its promise to any leader that refuses a pre-vote because the pre-candidate's
 * log is behind its own campaigns itself within a quarter election timeout: the pre-candidate
 * cannot win without voters like it.
 */
class StepUpTest {
    private static final int NONE = RaftCore.NONE;
    private static final int ELECTION = config(1).electionTicks();
    private static final int SOON = ELECTION / 4;

    /** Node 1 of five, its log three entries long (terms 1, 2, 2), hears leader 2 of term 2, then waits {@code ticks}. */
    private static RaftCore follower(int ticks) {
        RaftCore f = core(config(1), 5, new HardState(2, NONE, 0), log(1, 2, 2));
        Drive.flush(f);
        step(f, new Heartbeat(2, 1, 2, 0, 0));
        Drive.tick(f, ticks);
        return f;
    }

    private static VoteRequest preVote(long lastIndex, long lastTerm) {
        return new VoteRequest(3, 1, 3, lastIndex, lastTerm, true, false);
    }

    @Test
    void aFollowerPastItsPromiseRefusesABehindPreCandidateAndCampaignsSoon() {
        RaftCore f = follower(ELECTION);
        assertThat(step(f, preVote(1, 1)).sent(VoteResponse.class)).singleElement()
                .isEqualTo(new VoteResponse(1, 3, 2, false, true, 0, 2));
        List<VoteRequest> asked = Drive.tick(f, SOON).sent(VoteRequest.class);
        assertThat(asked).allMatch(VoteRequest::preVote).extracting(Message::to).contains(2, 3, 4, 5);
        assertThat(f.role()).isEqualTo(Role.PRE_CANDIDATE);
    }

    @Test
    void aPreCandidateAsUpToDateAsUsIsGrantedAndDoesNotHurryUs() {
        RaftCore asked = follower(ELECTION);
        RaftCore untouched = follower(ELECTION);
        assertThat(step(asked, preVote(3, 2)).sent(VoteResponse.class)).singleElement()
                .isEqualTo(new VoteResponse(1, 3, 3, true, true));
        assertThat(ticksToCampaign(asked)).as("the same random timeout as without the request")
                .isEqualTo(ticksToCampaign(untouched)).isGreaterThan(SOON);
    }

    @Test
    void whilePromisedToALeaderTheRefusalWaitsForThePromiseToEndAndThenWeCampaign() {
        // The usual path after a leader dies: the pre-vote comes while we still honour the leader,
        // is answered again when the promise ends (DeferredPreVoteTest), and only then refused for
        // the log.
        RaftCore f = follower(3);
        assertThat(step(f, preVote(1, 1)).sent(VoteResponse.class)).singleElement()
                .isEqualTo(new VoteResponse(1, 3, 2, false, true, ELECTION - 3, 2));
        assertThat(Drive.tick(f, ELECTION - 4).sent(VoteRequest.class)).as("still promised").isEmpty();
        Drive.Out end = Drive.tick(f, 1);
        assertThat(end.sent(VoteResponse.class)).singleElement().isEqualTo(new VoteResponse(1, 3, 2, false, true, 0, 2));
        assertThat(ticksToCampaign(f)).isLessThanOrEqualTo(SOON);
    }

    @Test
    void aFollowerThatHearsTheLeaderAgainDoesNotCampaign() {
        RaftCore f = follower(ELECTION);
        step(f, preVote(1, 1));
        step(f, new Heartbeat(2, 1, 2, 0, 0));
        assertThat(Drive.tick(f, ELECTION - 1).sent(VoteRequest.class)).isEmpty();
    }

    @Test
    void afterALeaderDiesWithFollowersBehindTheNextOneComesSoonAfterThePromisesEnd() {
        // With quorum fan-out, the newest entries are on two of the four followers when the leader
        // dies; the other two time out first half the time, and cannot win. The promises end 20
        // ticks after the crash at the latest. Without the step-up, seeds 8 and 20 took 36 and 32
        // ticks; with it, none takes more than 30.
        for (long seed = 1; seed <= 20; seed++) {
            TestCluster c = new TestCluster(5, id -> RaftConfig.defaults(id).withElectionTicks(20, 4)
                    .withLeaseReads(true).withQuorumFanout(true), seed);
            int l = c.electLeader();
            c.tickAll(8);
            c.propose(l, "x");
            long holding = java.util.stream.IntStream.rangeClosed(1, 5)
                    .filter(id -> c.core(id).lastIndex() == c.core(l).lastIndex()).count();
            assertThat(holding).as("seed %d: the leader and a quorum's worth of followers hold the entry", seed).isEqualTo(3);
            c.crash(l);
            int ticks = 0;
            while (c.leader() == -1 && ticks < 200) {
                c.tickAll(1);
                ticks++;
            }
            assertThat(ticks).as("seed %d: ticks from the crash to a new leader", seed).isLessThanOrEqualTo(30);
        }
    }

    private static int ticksToCampaign(RaftCore c) {
        for (int t = 1; t <= 3 * ELECTION; t++) {
            c.tick();
            Drive.flush(c);
            if (c.role() != Role.FOLLOWER) return t;
        }
        throw new AssertionError("never campaigned");
    }
}
