package raftkv.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import raftkv.raft.Role;

/** The benchmark's harness must really replicate, or its figures mean nothing. */
class InMemoryRaftGroupTest {

    private static List<byte[]> commands(int n, int bytes) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(new byte[bytes]);
        return out;
    }

    @Test
    void electsALeaderThatEveryoneFollows() {
        InMemoryRaftGroup group = new InMemoryRaftGroup(3, 7);
        group.electLeader();
        assertThat(group.leader().role()).isEqualTo(Role.LEADER);
        group.checkStableLeader();
    }

    @Test
    void eachRoundCommitsItsWholeBatchOnTheLeader() {
        InMemoryRaftGroup group = new InMemoryRaftGroup(3, 7);
        group.electLeader();
        long before = group.leader().commitIndex();
        long committed = group.proposeAndCommit(commands(64, 16));
        assertThat(committed).isEqualTo(before + 64);
        assertThat(group.leader().commitIndex()).isGreaterThanOrEqualTo(committed);
        group.checkAllReplicated();
    }

    @Test
    void compactionKeepsReplicatingWithoutSnapshots() {
        InMemoryRaftGroup group = new InMemoryRaftGroup(3, 7);
        group.electLeader();
        long last = 0;
        for (int round = 0; round < 200; round++) {
            last = group.proposeAndCommit(commands(round % 2 == 0 ? 1 : 64, 32));
            if (round % 50 == 49) group.compactAll(new byte[8]);
        }
        group.checkAllReplicated();
        group.checkStableLeader();
        assertThat(group.snapshotMessages()).isZero();
        assertThat(group.leader().status().snapshotIndex()).isPositive();
        assertThat(group.leader().commitIndex()).isEqualTo(last);
    }
}
