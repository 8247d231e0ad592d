package raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static raftkv.raft.Drive.config;
import static raftkv.raft.Drive.core;
import static raftkv.raft.Drive.step;

import java.util.Set;
import org.junit.jupiter.api.Test;
import raftkv.raft.Message.AppendResponse;
import raftkv.raft.Message.Heartbeat;
import raftkv.raft.Message.HeartbeatResponse;
import raftkv.raft.Message.TimeoutNow;
import raftkv.raft.Message.VoteRequest;

/** Leadership transfer (Raft thesis §3.10). */
class TransferTest {
    /** A 3-node leader whose followers have its no-op; then two more entries that node 3 lacks. */
    private static RaftCore leaderWithLaggingFollower3() {
        RaftCore l = core(config(1), 3);
        Drive.Out won = Drive.elect(l, 2);
        Drive.ackAll(l, won, 2);
        Drive.ackAll(l, won, 3);
        l.propose(Drive.bytes("a"));
        l.propose(Drive.bytes("b"));
        Drive.ackAll(l, Drive.flush(l), 2); // node 3's copy is still on its way
        assertThat(l.commitIndex()).isEqualTo(3);
        return l;
    }

    @Test
    void theLeaderCatchesTheTargetUpThenSendsTimeoutNow() {
        RaftCore l = leaderWithLaggingFollower3();
        l.transferLeadership(3);
        assertThat(Drive.flush(l).sent(TimeoutNow.class)).as("node 3 lacks entries 2 and 3").isEmpty();
        Drive.Out out = step(l, new AppendResponse(3, 1, 1, true, 3, 0, 0));
        assertThat(out.sent(TimeoutNow.class)).singleElement().isEqualTo(new TimeoutNow(1, 3, 1));
    }

    @Test
    void aCaughtUpTargetGetsTimeoutNowAtOnce() {
        RaftCore l = leaderWithLaggingFollower3();
        l.transferLeadership(2);
        assertThat(Drive.flush(l).sent(TimeoutNow.class)).singleElement().isEqualTo(new TimeoutNow(1, 2, 1));
    }

    @Test
    void proposalsAreRefusedDuringATransfer() {
        RaftCore l = leaderWithLaggingFollower3();
        l.transferLeadership(3);
        assertThat(l.propose(Drive.bytes("c"))).isEqualTo(new ProposeResult.TransferInProgress(3));
        assertThat(l.lastIndex()).isEqualTo(3);
    }

    @Test
    void aTransferIsAbandonedAfterAnElectionTimeout() {
        RaftCore l = leaderWithLaggingFollower3();
        l.transferLeadership(3);
        for (int i = 0; i < 10; i++) { // node 3 never answers; node 2 keeps the quorum alive
            for (Heartbeat h : Drive.tick(l, 1).sent(Heartbeat.class, 2)) {
                step(l, new HeartbeatResponse(2, 1, h.term(), h.round()));
            }
        }
        assertThat(l.role()).isEqualTo(Role.LEADER);
        assertThat(l.propose(Drive.bytes("c"))).isInstanceOf(ProposeResult.Accepted.class);
    }

    @Test
    void transfersToItselfOrToANonMemberAreIgnored() {
        RaftCore l = leaderWithLaggingFollower3();
        l.transferLeadership(1);
        l.transferLeadership(9);
        assertThat(l.propose(Drive.bytes("c"))).isInstanceOf(ProposeResult.Accepted.class);
        assertThat(Drive.flush(l).sent(TimeoutNow.class)).isEmpty();
    }

    @Test
    void timeoutNowMakesAFollowerCampaignAtOnceSkippingPreVoteAndTheLease() {
        RaftCore f = core(config(3), 3);
        Drive.flush(f);
        step(f, new Heartbeat(1, 3, 1, 0, 0));
        Drive.Out out = step(f, new TimeoutNow(1, 3, 1));
        assertThat(f.role()).isEqualTo(Role.CANDIDATE);
        assertThat(f.term()).isEqualTo(2);
        assertThat(out.sent(VoteRequest.class)).hasSize(2).allMatch(r -> r.transfer() && !r.preVote());
    }

    @Test
    void aStaleTimeoutNowIsIgnored() {
        RaftCore f = core(config(3), 3, new HardState(4, RaftCore.NONE, 0), java.util.List.of());
        Drive.flush(f);
        step(f, new TimeoutNow(1, 3, 3));
        assertThat(f.role()).isEqualTo(Role.FOLLOWER);
        assertThat(f.term()).isEqualTo(4);
    }

    @Test
    void aTransferToALaggingNodeEndsWithItLeadingWithEveryEntry() {
        TestCluster c = new TestCluster(5);
        int l = c.electLeader();
        int target = l % 5 + 1;
        c.partition(Set.of(target));
        for (int i = 0; i < 5; i++) c.propose(l, "v" + i);
        c.heal();
        c.core(l).transferLeadership(target);
        // The leader believes its lost appends are still in flight, so it learns that the target
        // lags only from the next heartbeat's answer; then it catches it up and hands over.
        c.tickAll(3);
        assertThat(c.leader()).isEqualTo(target);
        assertThat(c.core(l).leader()).isEqualTo(target);
        c.propose(target, "after");
        c.tickAll(3);
        for (int id = 1; id <= 5; id++) {
            assertThat(c.appliedCommands(id)).containsExactly("v0", "v1", "v2", "v3", "v4", "after");
        }
    }
}
