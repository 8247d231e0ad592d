package raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static raftkv.raft.Drive.core;
import static raftkv.raft.Drive.log;
import static raftkv.raft.Drive.step;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import raftkv.raft.Message.Heartbeat;
import raftkv.raft.Message.VoteRequest;
import raftkv.raft.Message.VoteResponse;

/**
 * A promise shorter than the election timeout ({@link RaftConfig#leasePromiseTicks()}), and a
 * follower told that its leader seems gone ({@link RaftCore#suspectLeaderGone()}): it probes the
 * leader once its promise has run out, campaigns if the leader stays silent, and says so ({@link
 * VoteRequest#leaderSilent()}); voters then hold only to their promise. After a leader dies, the
 * next one comes soon after the promises end, not an election timeout or more after the leader
 * last spoke. The lease shrinks with the promise.
 */
class SuspectedLeaderTest {
    private static final int NONE = RaftCore.NONE;
    private static final int ELECTION = 40;
    private static final int PROMISE = 12;
    private static final int PROBE = 2;

    private static RaftConfig config(int id) {
        return RaftConfig.defaults(id).withElectionTicks(ELECTION, 10).withLeaseReads(true).withQuorumFanout(true)
                .withLeaderProbeTicks(PROBE).withLeasePromiseTicks(PROMISE);
    }

    /** Node 1 of five in term 2, following leader 2, which wrote to it twice within a promise. */
    private static RaftCore follower() {
        return follower(1);
    }

    /** As {@link #follower()}, the leader's two messages {@code gap} ticks apart. */
    private static RaftCore follower(int gap) {
        RaftCore f = core(config(1), 5, new HardState(2, NONE, 0), log(1, 2, 2));
        Drive.flush(f);
        step(f, new Heartbeat(2, 1, 2, 0, 0));
        Drive.tick(f, gap);
        step(f, new Heartbeat(2, 1, 2, 0, 0));
        return f;
    }

    private static VoteRequest preVote(int from, boolean leaderSilent) {
        return new VoteRequest(from, 1, 3, 3, 2, true, false, leaderSilent);
    }

    /**
     * Tells the follower the leader seems gone at every tick, as the course replica does while it
     * holds a client; returns the ticks until it probed the leader, asserting that the probe was all
     * it sent then.
     */
    private static int ticksUntilTheProbe(RaftCore f) {
        for (int t = 1; t <= ELECTION; t++) {
            f.tick();
            boolean probing = f.suspectLeaderGone();
            List<Message> sent = Drive.flush(f).all();
            if (!sent.isEmpty()) {
                assertThat(probing).as("says the probe is under way").isTrue();
                assertThat(sent).singleElement().isEqualTo(new VoteRequest(1, 2, 3, 3, 2, true, false));
                return t;
            }
            assertThat(probing).isFalse();
        }
        throw new AssertionError("no probe");
    }

    @Test
    void aFollowerToldTheLeaderSeemsGoneProbesItOnlyOnceItsPromiseHasRunOut() {
        // Within a quarter promise more: the followers the leader wrote to last would probe, and
        // campaign, together.
        RaftCore f = follower();
        assertThat(ticksUntilTheProbe(f)).isBetween(PROMISE, PROMISE + PROMISE / 4 - 1);
        assertThat(f.role()).isEqualTo(Role.FOLLOWER);
    }

    @Test
    void aProbeLeftUnansweredStartsACampaignThatSaysTheLeaderWasSilent() {
        RaftCore f = follower();
        ticksUntilTheProbe(f);
        List<VoteRequest> asked = Drive.tick(f, PROBE).sent(VoteRequest.class);
        assertThat(f.role()).isEqualTo(Role.PRE_CANDIDATE);
        assertThat(asked).extracting(VoteRequest::to).containsExactlyInAnyOrder(3, 4, 5);
        assertThat(asked).allMatch(VoteRequest::leaderSilent);
    }

    @Test
    void theRealVoteAndEveryResendSayItToo() {
        RaftCore f = follower();
        ticksUntilTheProbe(f);
        Drive.tick(f, PROBE);
        List<VoteRequest> resent = Drive.tick(f, 10).sent(VoteRequest.class); // default resends: every heartbeat
        assertThat(resent).isNotEmpty().allMatch(VoteRequest::leaderSilent);
        step(f, new VoteResponse(3, 1, 3, true, true));
        List<VoteRequest> votes = step(f, new VoteResponse(4, 1, 3, true, true)).sent(VoteRequest.class);
        assertThat(f.role()).isEqualTo(Role.CANDIDATE);
        assertThat(votes).isNotEmpty().noneMatch(VoteRequest::preVote).allMatch(VoteRequest::leaderSilent);
    }

    @Test
    void aCampaignOfTheTimersDoesNotSaySoThoughItsProbeWentUnanswered() {
        // Its leader may only be idle, heartbeating seldom: voters keep their longer wait on it.
        RaftCore f = follower();
        List<VoteRequest> asked = Drive.timeOut(f).sent(VoteRequest.class);
        assertThat(asked).extracting(VoteRequest::to).contains(2, 3, 4, 5);
        assertThat(asked).noneMatch(VoteRequest::leaderSilent);
    }

    @Test
    void aFollowerTheLeaderWroteToSeldomOnlyProbesAndLeavesTheCampaignToItsTimer() {
        // With quorum fan-out such a follower lags by a round or more: its campaign would be refused.
        RaftCore f = follower(PROMISE + 1);
        ticksUntilTheProbe(f);
        assertThat(Drive.tick(f, PROBE).all()).as("no campaign after the silent probe").isEmpty();
        assertThat(f.suspectLeaderGone()).as("no second probe for this silence").isFalse();
        assertThat(Drive.flush(f).all()).isEmpty();
        List<VoteRequest> asked = Drive.timeOut(f).sent(VoteRequest.class);
        assertThat(asked).as("the timer's campaign probes again first").first().extracting(VoteRequest::to).isEqualTo(2);
    }

    @Test
    void withoutTheSignTheFollowerWaitsForItsElectionTimer() {
        RaftCore f = follower();
        assertThat(Drive.tick(f, ELECTION - 1).all()).isEmpty();
    }

    @Test
    void aLiveLeadersAnswerEndsTheSuspicion() {
        RaftCore f = follower();
        ticksUntilTheProbe(f);
        step(f, new Heartbeat(2, 1, 2, 0, 0)); // the leader's answer to the probe
        assertThat(Drive.tick(f, ELECTION - 1).all()).as("no probe, no campaign").isEmpty();
        assertThat(f.leader()).isEqualTo(2);
    }

    @Test
    void aVoterPastItsPromiseGrantsOnlyTheCampaignThatFoundTheLeaderSilent() {
        RaftCore f = follower();
        Drive.tick(f, PROMISE);
        // Its election timer still runs: an ordinary pre-vote is refused, and told how long for.
        assertThat(step(f, preVote(3, false)).sent(VoteResponse.class)).singleElement()
                .isEqualTo(new VoteResponse(1, 3, 2, false, true, ELECTION - PROMISE, 2));
        assertThat(step(f, preVote(4, true)).sent(VoteResponse.class)).singleElement()
                .isEqualTo(new VoteResponse(1, 4, 3, true, true));
    }

    @Test
    void aVoterStillPromisedRefusesEvenThatAndGrantsItWhenThePromiseEnds() {
        RaftCore f = follower();
        Drive.tick(f, 2);
        assertThat(step(f, preVote(3, true)).sent(VoteResponse.class)).singleElement()
                .isEqualTo(new VoteResponse(1, 3, 2, false, true, PROMISE - 2, 2));
        assertThat(Drive.tick(f, PROMISE - 3).sent(VoteResponse.class)).as("still promised").isEmpty();
        assertThat(Drive.tick(f, 1).sent(VoteResponse.class)).singleElement()
                .isEqualTo(new VoteResponse(1, 3, 3, true, true));
    }

    @Test
    void aLiveLeaderAnswersEvenACampaignThatFoundItSilentWithAHeartbeat() {
        // Its probe was lost, or it probed another: the leader is alive, and says so.
        RaftCore l = core(config(1), 5);
        Drive.elect(l, 2, 3);
        Drive.tick(l, 2 * PROMISE);
        Drive.Out out = step(l, new VoteRequest(3, 1, l.term() + 1, l.lastIndex(), l.term(), true, false, true));
        assertThat(out.sent(VoteResponse.class)).isEmpty();
        assertThat(out.sent(Heartbeat.class, 3)).hasSize(1);
        assertThat(l.role()).isEqualTo(Role.LEADER);
    }

    @Test
    void aLeasePromisedForFewerTicksEndsThatMuchSooner() {
        TestCluster c = new TestCluster(3, SuspectedLeaderTest::config, 7);
        int l = c.electLeader();
        c.tickAll(1); // the leader's first round starts
        c.propose(l, "a");
        assertThat(servedAtOnce(c, l, 1)).as("served from the lease").isTrue();
        c.partition(Set.of(l));
        // The lease runs from the start of the round the write's answers confirmed: rounds start
        // every quarter promise (3 ticks), so up to 2 ticks before the write; less 2 of margin.
        c.tickAll(PROMISE - 5);
        assertThat(servedAtOnce(c, l, 2)).as("still within the promise, less the margin").isTrue();
        c.tickAll(3);
        assertThat(servedAtOnce(c, l, 3)).as("the lease ends with the promises, not an election timeout later").isFalse();
    }

    /** Asks leader {@code l} for a read; whether it was served at once, from the lease. */
    private static boolean servedAtOnce(TestCluster c, int l, long context) {
        c.reads.get(l).clear();
        c.core(l).readIndex(context);
        c.processReadies();
        return !c.reads.get(l).isEmpty();
    }

    @Test
    void aLeaderWhoseMessagesToOneFollowerAreLostServesNoLeaseReadOnceThatFollowerCouldWin() {
        // One way only: the follower is told the leader seems gone and campaigns; the leader hears
        // nothing of the new term (as across a partial partition). Seeds vary who leads and when.
        // Heartbeats sparser than the promise, so that the other followers' promises lapse too.
        java.util.function.IntFunction<RaftConfig> sparse = id -> RaftConfig.defaults(id).withElectionTicks(ELECTION, PROMISE + 1)
                .withLeaseReads(true).withLeaderProbeTicks(PROBE).withLeasePromiseTicks(PROMISE);
        int elections = 0;
        for (long seed = 1; seed <= 100; seed++) {
            TestCluster c = new TestCluster(5, sparse, seed);
            int l = c.electLeader();
            for (int i = 0; i < 3; i++) {
                c.propose(l, "w" + i);
                c.tickAll(1);
            }
            int cutOff = l == 1 ? 2 : 1;
            long term = c.core(l).term();
            c.link = m -> !(m.from() == l && m.to() == cutOff) && !(m.to() == l && m.term() > term);
            for (int t = 0; t < 10 * ELECTION; t++) {
                c.tickAll(1);
                c.core(cutOff).suspectLeaderGone();
                c.deliverAll();
                int newLeader = c.leader();
                if (newLeader != l) {
                    elections++;
                    assertThat(c.core(l).canServeLeaseRead()).as("seed %d: old leader %d still holds a lease", seed, l).isFalse();
                    break;
                }
            }
        }
        assertThat(elections).as("the cut-off follower's campaigns won somewhere").isPositive();
    }

    @Test
    void whenTheLeaderDiesAndFollowersAreToldANewOneLeadsSoonAfterThePromisesEnd() {
        int told = ticksToANewLeader(true);
        int notTold = ticksToANewLeader(false);
        assertThat(told).as("told: %d ticks, not told: %d", told, notTold).isLessThanOrEqualTo(PROMISE + PROMISE / 4 + PROBE + 2);
        assertThat(notTold).isGreaterThanOrEqualTo(ELECTION);
    }

    /** Five nodes; the leader dies right after a write; ticks until another leads. */
    private static int ticksToANewLeader(boolean told) {
        TestCluster c = new TestCluster(5, SuspectedLeaderTest::config, 11);
        int l = c.electLeader();
        for (int i = 0; i < 3; i++) {
            c.propose(l, "w" + i);
            c.tickAll(1);
        }
        c.crash(l);
        for (int t = 1; t <= 10 * ELECTION; t++) {
            c.tickAll(1);
            if (c.leader() != -1) return t;
            if (told) {
                for (int id = 1; id <= 5; id++) if (id != l) c.core(id).suspectLeaderGone();
                c.processReadies();
                c.deliverAll();
            }
        }
        throw new AssertionError("no new leader");
    }
}
