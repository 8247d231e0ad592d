package raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Opt-in retransmission: an unanswered append is resent after retransmitTicks, not a heartbeat later. */
class RetransmitTest {
    private static TestCluster cluster(int retransmit) {
        return new TestCluster(3, id -> RaftConfig.defaults(id).withElectionTicks(30, 10).withRetransmitTicks(retransmit), 11);
    }

    /** Elects a leader, lets it settle, and proposes one entry whose first two appends are lost. Returns the leader. */
    private static int proposeLosingTheFirstTwoAppends(TestCluster c) {
        int l = c.electLeader();
        c.tickAll(12);
        AtomicInteger dropped = new AtomicInteger();
        c.link = m -> !(m instanceof Message.AppendRequest a && !a.entries().isEmpty() && dropped.getAndIncrement() < 2);
        c.propose(l, "x");
        return l;
    }

    @Test
    void aLostAppendIsResentAfterRetransmitTicks() {
        TestCluster c = cluster(2);
        int l = proposeLosingTheFirstTwoAppends(c);
        assertThat(c.core(l).commitIndex()).isLessThan(c.core(l).lastIndex());
        c.tickAll(3); // well before the next heartbeat (10 ticks)
        assertThat(c.core(l).commitIndex()).isEqualTo(c.core(l).lastIndex());
    }

    @Test
    void withoutRetransmissionTheLossWaitsForAHeartbeat() {
        TestCluster c = cluster(0);
        int l = proposeLosingTheFirstTwoAppends(c);
        c.tickAll(3);
        assertThat(c.core(l).commitIndex()).isLessThan(c.core(l).lastIndex());
    }

    @Test
    void aSilentFollowerIsRetriedLessAndLessOften() {
        TestCluster c = cluster(1);
        int l = c.electLeader();
        int dead = l % 3 + 1;
        c.crash(dead);
        c.propose(l, "x");
        int before = c.delivered.size();
        long sentToDead = 0;
        for (int i = 0; i < 40; i++) {
            c.tick(l);
            sentToDead += c.network.stream().filter(m -> m.to() == dead).count();
            c.deliverAll();
        }
        // 1, 2, 4, 8 ticks then the heartbeat interval (10): about 6 in 40 ticks, never one a tick.
        assertThat(sentToDead).isBetween(3L, 9L);
        assertThat(c.delivered.size()).isGreaterThan(before);
    }

    @Test
    void aCutOffCandidateAsksEachSilentVoterAtMostThreeTimesPerCampaign() {
        TestCluster c = cluster(1);
        int l = c.electLeader();
        int loner = l % 3 + 1;
        c.partition(java.util.Set.of(loner));
        long firstAskTick = -1;
        long votesAsked = 0;
        // The first campaign, and the 30 ticks after it starts: less than the shortest election
        // timeout, so no second campaign starts in that window.
        for (int tick = 0; tick < 300 && (firstAskTick < 0 || tick < firstAskTick + 30); tick++) {
            c.tick(l);
            c.tick(loner);
            long asked = c.network.stream().filter(m -> m.from() == loner && m instanceof Message.VoteRequest).count();
            if (asked > 0 && firstAskTick < 0) firstAskTick = tick;
            votesAsked += asked;
            c.deliverAll();
        }
        assertThat(firstAskTick).isNotNegative();
        // One request to each of 2 peers, then at most 2 resends each (at 1 and 2 ticks; the
        // backoff would go on at 4, 8 and 16 ticks without the cap).
        assertThat(votesAsked).isEqualTo(2L * (1 + Elections.MAX_VOTE_RESENDS));
    }
}
