package raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ClusterTest {
    @Test
    void electsOneLeaderAndReplicates() {
        TestCluster c = new TestCluster(3);
        int l = c.electLeader();
        assertThat(c.propose(l, "a")).isInstanceOf(ProposeResult.Accepted.class);
        c.propose(l, "b");
        c.tickAll(3);
        for (int id = 1; id <= 3; id++) assertThat(c.appliedCommands(id)).containsExactly("a", "b");
    }

    @Test
    void survivesLeaderCrash() {
        TestCluster c = new TestCluster(5);
        int l = c.electLeader();
        c.propose(l, "x");
        c.crash(l);
        int l2 = c.electLeader();
        assertThat(l2).isNotEqualTo(l);
        c.propose(l2, "y");
        c.tickAll(3);
        for (int id = 1; id <= 5; id++) {
            if (id != l) assertThat(c.appliedCommands(id)).containsExactly("x", "y");
        }
        c.restart(l);
        c.tickAll(20);
        assertThat(c.appliedCommands(l)).containsExactly("x", "y");
    }

    @Test
    void minorityLeaderCannotCommitAndMajorityMovesOn() {
        TestCluster c = new TestCluster(5);
        int l = c.electLeader();
        Set<Integer> minority = Set.of(l, l % 5 + 1);
        c.partition(minority);
        c.propose(l, "lost");
        c.tickAll(50);
        assertThat(c.core(l).role()).as("check-quorum deposes the minority leader").isNotEqualTo(Role.LEADER);
        int l2 = c.leader();
        assertThat(minority).doesNotContain(l2);
        c.propose(l2, "kept");
        c.heal();
        c.tickAll(30);
        for (int id = 1; id <= 5; id++) assertThat(c.appliedCommands(id)).containsExactly("kept");
    }

    @Test
    void readIndexNeedsAQuorumRound() {
        TestCluster c = new TestCluster(3);
        int l = c.electLeader();
        c.propose(l, "a");
        c.core(l).readIndex(7);
        c.deliverAll();
        assertThat(c.reads.get(l)).containsExactly(new ReadState(7, c.core(l).commitIndex()));
        c.partition(Set.of(l));
        c.core(l).readIndex(8);
        c.deliverAll();
        assertThat(c.reads.get(l)).hasSize(1);
    }

    @Test
    void transfersLeadership() {
        TestCluster c = new TestCluster(3);
        int l = c.electLeader();
        int target = l % 3 + 1;
        c.core(l).transferLeadership(target);
        c.deliverAll();
        assertThat(c.core(target).role()).isEqualTo(Role.LEADER);
    }

    @Test
    void laggingFollowerGetsSnapshot() {
        TestCluster c = new TestCluster(3);
        int l = c.electLeader();
        int lagging = l % 3 + 1;
        c.crash(lagging);
        for (int i = 0; i < 10; i++) c.propose(l, "v" + i);
        c.tickAll(2);
        c.compact(l);
        c.restart(lagging);
        c.tickAll(10);
        assertThat(c.disks.get(lagging).snapshot).isNotNull();
        assertThat(c.core(lagging).commitIndex()).isEqualTo(c.core(l).commitIndex());
    }
}
