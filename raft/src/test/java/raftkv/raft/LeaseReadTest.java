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
}
