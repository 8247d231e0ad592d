package raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Opt-in lease reads (thesis §6.4.1): served without a round only while the lease is provably valid. */
class LeaseReadTest {
    private static TestCluster cluster() {
        return new TestCluster(3, id -> RaftConfig.defaults(id).withElectionTicks(10, 2).withLeaseReads(true), 7);
    }

    @Test
    void aLeaderWithAFreshLeaseServesAReadWithoutAQuorumRound() {
        TestCluster c = cluster();
        int l = c.electLeader();
        c.propose(l, "a");
        c.tickAll(3); // a confirmation round starts and is acknowledged
        int sentBefore = c.delivered.size();
        c.core(l).readIndex(1);
        c.processReadies();
        assertThat(c.reads.get(l)).containsExactly(new ReadState(1, c.core(l).commitIndex()));
        assertThat(c.delivered).hasSize(sentBefore);
        assertThat(c.network).isEmpty();
    }

    /**
     * A read that came before the new leader's first commit waits for a confirmation round; once
     * the answer to the no-op makes the lease valid, it is served from the lease at once, with no
     * round of its own (whose heartbeats, after a kill, went through the dead leader and were lost).
     */
    @Test
    void aReadThatCameBeforeTheFirstCommitIsServedFromTheLeaseOnceTheNoOpIsAnswered() {
        RaftCore l = Drive.core(RaftConfig.defaults(1).withElectionTicks(10, 2).withLeaseReads(true), 3);
        java.util.List<Message.AppendRequest> noop = Drive.elect(l, 2).sent(Message.AppendRequest.class, 2);
        l.readIndex(7);
        assertThat(Drive.flush(l).readStates()).isEmpty();
        Message.AppendRequest r = noop.getFirst();
        Drive.Out out = Drive.step(l, new Message.AppendResponse(2, 1, r.term(), true, r.lastIndex(), 0, 0, r.round()));
        assertThat(out.readStates()).containsExactly(new ReadState(7, 1));
        assertThat(out.sent(Message.Heartbeat.class)).as("no confirmation round of its own").isEmpty();
    }

    @Test
    void anIsolatedLeaderStopsServingLeaseReadsBeforeAnyoneElseCanWin() {
        TestCluster c = cluster();
        int l = c.electLeader();
        c.propose(l, "a");
        c.tickAll(3);
        c.partition(Set.of(l));
        // The followers refuse votes for electionTicks after last hearing from the leader; the leader
        // must give up its lease no later than that, on its own clock.
        for (int i = 0; i < 8; i++) c.tickAll(1);
        c.reads.get(l).clear();
        c.core(l).readIndex(2);
        c.processReadies();
        assertThat(c.reads.get(l)).as("lease must have expired").isEmpty();
    }

    @Test
    void followersStillInTheirLeaseRejectCandidates() {
        TestCluster c = cluster();
        int l = c.electLeader();
        c.tickAll(3);
        int other = l % 3 + 1;
        c.partition(Set.of(l));
        for (int i = 0; i < 5; i++) c.tickAll(1);
        assertThat(c.core(other).role()).isNotEqualTo(Role.LEADER);
    }

    @Test
    void aLeaderThatStartedATransferNoLongerServesLeaseReads() {
        TestCluster c = cluster();
        int l = c.electLeader();
        c.propose(l, "a");
        c.tickAll(3);
        int target = l % 3 + 1;
        c.partition(Set.of(l, target)); // target can still hear the leader; the third node cannot
        c.core(l).transferLeadership(target);
        c.processReadies();
        c.reads.get(l).clear();
        c.core(l).readIndex(3);
        c.processReadies();
        assertThat(c.reads.get(l)).isEmpty();
    }

    /**
     * A runtime whose timer fired late says so ({@link RaftCore#clockAt}): the follower's promise to
     * the leader then runs from the clock, not from the ticks delivered, and binds its own campaign
     * as well as its vote for others. Here the clock stands 10 000 ticks past the ticks delivered.
     */
    @Test
    void aFollowerPromisesOnTheRuntimesClockAndDoesNotCampaignWhileThePromiseRuns() {
        TestCluster c = cluster();
        int l = c.electLeader();
        c.tickAll(3);
        int f = l % 3 + 1;
        int other = f % 3 + 1;
        c.core(f).clockAt(10_000);
        c.tickAll(2); // a heartbeat reaches f: promised until tick 10 010 of the clock
        c.partition(Set.of(l));
        c.tickAll(40); // f's election timer runs out twice over on the ticks delivered
        assertThat(c.core(f).role()).as("f keeps its promise").isEqualTo(Role.FOLLOWER);
        assertThat(c.core(other).role()).as("nobody gets f's vote").isNotEqualTo(Role.LEADER);

        c.core(f).clockAt(10_012);
        for (int i = 0; i < 60 && c.core(f).role() != Role.LEADER && c.core(other).role() != Role.LEADER; i++) c.tickAll(1);
        assertThat(Set.of(c.core(f).role(), c.core(other).role())).as("once the promise ran out, f or the other is elected")
                .contains(Role.LEADER);
    }

    /**
     * The stale read of the twentieth session, on the core alone: every node's runtime tells it the
     * world's clock, but one follower's timer stalls for three election timeouts while the leader's
     * heartbeats still reach it, and then fires with everything it owes at once; the leader no
     * longer hears it from then on, and the third member is cut off from the leader. Counted on the
     * ticks delivered ({@link DeliberateBug#PROMISE_ON_DELIVERED_TICKS}), the follower's promise ran
     * out in that burst, and a new leader came while the old one could still serve reads from the
     * lease that promise gave it. Counted on the clock, the promise holds and nobody is elected.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void aFollowerWhoseTimerStalledKeepsItsPromiseOnlyIfItCountsOnTheClock(boolean promiseOnDeliveredTicks) {
        TestCluster c = cluster();
        int l = c.electLeader();
        int f = l % 3 + 1;
        int other = f % 3 + 1;
        if (promiseOnDeliveredTicks) for (int id = 1; id <= 3; id++) c.core(id).injectBugs(Set.of(DeliberateBug.PROMISE_ON_DELIVERED_TICKS));
        long world = 1_000; // the nodes' clocks, ahead of any tick count so far
        java.util.function.Predicate<Message> leaderAndOtherApart = m -> !(m.from() == l && m.to() == other || m.from() == other && m.to() == l);
        c.link = leaderAndOtherApart;
        for (int i = 0; i < 30; i++) { // f's timer stands still; messages still reach it
            world++;
            for (int id = 1; id <= 3; id++) c.core(id).clockAt(world);
            c.core(l).tick();
            c.core(other).tick();
            c.deliverAll();
        }
        assertThat(c.core(l).canServeLeaseRead()).isTrue();
        c.link = leaderAndOtherApart.and(m -> !(m.from() == f && m.to() == l));
        for (int i = 0; i < 30; i++) c.core(f).tick(); // what it owed, at once
        c.deliverAll();
        c.campaign(other);

        boolean newLeader = c.core(f).role() == Role.LEADER || c.core(other).role() == Role.LEADER;
        assertThat(newLeader && c.core(l).canServeLeaseRead()).as("a new leader while the old one can serve lease reads")
                .isEqualTo(promiseOnDeliveredTicks);
        if (!promiseOnDeliveredTicks) assertThat(newLeader).isFalse();
    }

    @Test
    void aRestartedNodeKeepsItsPromiseForAnElectionTimeout() {
        TestCluster c = cluster();
        int l = c.electLeader();
        c.tickAll(3);
        int f = l % 3 + 1;
        c.crash(f);
        c.restart(f);
        RaftCore restarted = c.core(f);
        restarted.step(new Message.VoteRequest(99, f, restarted.term() + 1, 1000, 1000, true, false));
        restarted.step(new Message.VoteRequest(99, f, restarted.term() + 1, 1000, 1000, false, false));
        assertThat(restarted.hasReady() ? restarted.ready().messagesAfterPersist() : java.util.List.<Message>of())
                .noneMatch(m -> m instanceof Message.VoteResponse v && v.granted());
    }

    /**
     * Regression (found while widening the fuzz to lease reads): a follower's promise not to vote
     * for electionTicks after acknowledging a leader was kept only while it still named a leader.
     * A late answer from a higher term (here an AppendResponse to an append it sent while leading
     * some earlier term) made it a follower of nobody, and it voted at once: a new leader committed
     * while the old one, isolated, still served reads from its lease, without that commit.
     */
    @Test
    void aFollowerKeepsItsLeasePromiseAfterALateHigherTermAnswer() {
        TestCluster c = new TestCluster(3,
                id -> RaftConfig.defaults(id).withElectionTicks(10, 2).withPreVote(false).withLeaseReads(true), 7);
        int l = c.electLeader();
        c.propose(l, "a");
        c.tickAll(3);
        int f2 = l % 3 + 1;
        int f3 = f2 % 3 + 1;
        // f3 cannot hear the leader and campaigns over and over; f2 still hears it and refuses.
        c.link = m -> !(m.from() == l && m.to() == f3 || m.from() == f3 && m.to() == l);
        for (int i = 0; i < 40 && c.core(f3).term() == c.core(l).term(); i++) c.tickAll(1);
        assertThat(c.core(f3).term()).isGreaterThan(c.core(l).term());
        assertThat(c.core(l).role()).isEqualTo(Role.LEADER);

        // The leader is cut off from everyone now; f2 last acknowledged it a moment ago.
        c.link = m -> m.from() != l && m.to() != l;
        c.core(f2).step(new Message.AppendResponse(f3, f2, c.core(f3).term(), false, 0, 0, 0));
        for (int i = 0; i < 3; i++) c.tickAll(1);
        c.propose(c.leader() == l ? f3 : c.leader(), "b");
        long committedElsewhere = Math.max(c.core(f2).commitIndex(), c.core(f3).commitIndex());

        c.reads.get(l).clear();
        c.core(l).readIndex(5);
        c.processReadies();
        assertThat(c.reads.get(l)).as("served from the lease only if nothing was committed since")
                .allSatisfy(rs -> assertThat(rs.index()).isGreaterThanOrEqualTo(committedElsewhere));
        assertThat(c.core(f3).role()).as("f2 kept its promise").isNotEqualTo(Role.LEADER);
    }

    /** The same promise against a candidate of a still higher term: no vote, and no term change. */
    @Test
    void aFollowerOfNobodyStillInItsPromiseIgnoresHigherTermCandidates() {
        RaftConfig cfg = RaftConfig.defaults(2).withElectionTicks(10, 2).withPreVote(false).withLeaseReads(true);
        RaftCore f = Drive.core(cfg, 3);
        for (int i = 0; i < 12; i++) { // past the promise a start makes; node 1 leads term 1
            Drive.step(f, new Message.Heartbeat(1, 2, 1, 0, 0));
            Drive.tick(f, 1);
        }
        Drive.step(f, new Message.Heartbeat(1, 2, 1, 0, 0));
        Drive.step(f, new Message.AppendResponse(3, 2, 5, false, 0, 0, 0)); // late, from term 5
        assertThat(f.leader()).isEqualTo(RaftCore.NONE);
        Drive.tick(f, 2);

        Drive.Out out = Drive.step(f, new Message.VoteRequest(3, 2, 6, 100, 5, false, false));

        assertThat(out.sent(Message.VoteResponse.class)).noneMatch(Message.VoteResponse::granted);
        assertThat(f.term()).as("ignored, as while it still named its leader").isEqualTo(5);
    }
}
