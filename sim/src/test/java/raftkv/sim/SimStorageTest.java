package raftkv.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import raftkv.node.VirtualScheduler;
import raftkv.raft.Entry;
import raftkv.raft.HardState;

class SimStorageTest {
    private final VirtualScheduler time = new VirtualScheduler();
    private final SimStorage disk = new SimStorage(time, () -> 5);
    private final List<String> callbacks = new ArrayList<>();

    SimStorageTest() {
        disk.attach(time.loop(() -> true));
    }

    @Test
    void aWriteIsDurableOnlyAfterItsFsync() {
        disk.persist(new HardState(1, 1, 0), null, List.of(new Entry(1, 1, new byte[] {1})), () -> callbacks.add("a"));
        time.runFor(4);
        assertThat(disk.load().entries()).isEmpty();
        assertThat(callbacks).isEmpty();
        time.runFor(1);
        assertThat(disk.load().entries()).hasSize(1);
        assertThat(disk.load().hardState().term()).isEqualTo(1);
        assertThat(callbacks).containsExactly("a");
    }

    @Test
    void aCrashLosesUnsyncedWritesAndTheirCallbacks() {
        disk.persist(new HardState(1, 1, 0), null, List.of(new Entry(1, 1, new byte[] {1})), () -> callbacks.add("a"));
        time.runFor(5);
        disk.persist(new HardState(2, 2, 1), null, List.of(new Entry(2, 2, new byte[] {2})), () -> callbacks.add("b"));
        time.runFor(2);
        disk.crash();
        time.runFor(100);
        assertThat(callbacks).containsExactly("a");
        assertThat(disk.load().entries()).extracting(Entry::index).containsExactly(1L);
        assertThat(disk.load().hardState().term()).isEqualTo(1);
        assertThat(disk.lostWrites()).isEqualTo(1);
    }

    @Test
    void fsyncsCompleteInIssueOrder() {
        SimStorage slowThenFast = new SimStorage(time, new java.util.function.LongSupplier() {
            long next = 20;
            @Override
            public long getAsLong() {
                long d = next;
                next = 1;
                return d;
            }
        });
        slowThenFast.attach(time.loop(() -> true));
        slowThenFast.persist(null, null, List.of(new Entry(1, 1, new byte[] {1})), () -> callbacks.add("first"));
        slowThenFast.persist(null, null, List.of(new Entry(2, 1, new byte[] {2})), () -> callbacks.add("second"));
        time.runFor(10);
        assertThat(callbacks).isEmpty();
        time.runFor(20);
        assertThat(callbacks).containsExactly("first", "second");
    }

    @Test
    void aLaterEntryReplacesTheSuffixItOverlaps() {
        disk.persist(null, null, List.of(new Entry(1, 1, null), new Entry(2, 1, null), new Entry(3, 1, null)), () -> {});
        disk.persist(null, null, List.of(new Entry(2, 2, null)), () -> {});
        time.runFor(50);
        assertThat(disk.load().entries()).extracting(Entry::term).containsExactly(1L, 2L);
    }
}
