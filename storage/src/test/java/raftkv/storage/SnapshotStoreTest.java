package raftkv.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import raftkv.storage.fs.ForwardingFiles;
import raftkv.storage.fs.RealFiles;
import raftkv.storage.fs.SimulatedFiles;
import raftkv.storage.fs.StorageFiles;

class SnapshotStoreTest {

    @TempDir
    Path dir;

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    @Test
    void saveAndLoadRoundTripsAndReplacesTheOlderSnapshot() throws IOException {
        SnapshotStore store = new SnapshotStore(RealFiles.INSTANCE, dir);
        assertThat(store.loadLatest()).isEmpty();
        store.save(new SnapshotMeta(10, 2, new byte[] {1, 2}), bytes(1000, 1));
        store.save(new SnapshotMeta(20, 3, new byte[] {3}), new ByteArrayInputStream(bytes(200_000, 2)));
        StoredSnapshot s = new SnapshotStore(RealFiles.INSTANCE, dir).loadLatest().orElseThrow();
        assertThat(s.meta().lastIndex()).isEqualTo(20);
        assertThat(s.meta().lastTerm()).isEqualTo(3);
        assertThat(s.meta().configuration()).containsExactly(3);
        assertThat(s.data()).isEqualTo(bytes(200_000, 2));
        assertThat(RealFiles.INSTANCE.list(dir)).hasSize(1);
    }

    @Test
    void aCrashBeforeTheRenameLeavesTheOldSnapshotInPlace() throws IOException {
        SimulatedFiles sim = new SimulatedFiles(new SplittableRandom(3));
        Path d = Path.of("/sim/snap");
        new SnapshotStore(sim, d).save(new SnapshotMeta(10, 2, new byte[0]), bytes(500, 1));
        StorageFiles dying = new CrashAtRename(sim);
        assertThatThrownBy(() -> new SnapshotStore(dying, d).save(new SnapshotMeta(20, 2, new byte[0]), bytes(500, 2)))
                .hasMessageContaining("simulated crash");
        sim.crash(true);
        SnapshotStore reopened = new SnapshotStore(sim, d);
        StoredSnapshot s = reopened.loadLatest().orElseThrow();
        assertThat(s.meta().lastIndex()).isEqualTo(10);
        assertThat(s.data()).isEqualTo(bytes(500, 1));
        assertThat(sim.list(d)).hasSize(1);
    }

    @Test
    void aCrashRightAfterSaveKeepsTheNewSnapshot() throws IOException {
        for (int seed = 0; seed < 30; seed++) {
            SimulatedFiles sim = new SimulatedFiles(new SplittableRandom(seed));
            Path d = Path.of("/sim/snap");
            new SnapshotStore(sim, d).save(new SnapshotMeta(10, 2, new byte[0]), bytes(500, 1));
            new SnapshotStore(sim, d).save(new SnapshotMeta(20, 2, new byte[] {9}), bytes(700, 2));
            sim.crash(true);
            StoredSnapshot s = new SnapshotStore(sim, d).loadLatest().orElseThrow();
            assertThat(s.meta().lastIndex()).isEqualTo(20);
            assertThat(s.data()).isEqualTo(bytes(700, 2));
        }
    }

    @Test
    void aDamagedSnapshotIsReported() throws IOException {
        SimulatedFiles sim = new SimulatedFiles(new SplittableRandom(3));
        Path d = Path.of("/sim/snap");
        new SnapshotStore(sim, d).save(new SnapshotMeta(10, 2, new byte[0]), bytes(500, 1));
        Path file = sim.list(d).get(0);
        sim.flipBit(file, 100, 0);
        assertThatThrownBy(() -> new SnapshotStore(sim, d).loadLatest())
                .isInstanceOf(CorruptLogException.class)
                .hasMessageContaining(file.getFileName().toString())
                .hasMessageContaining("checksum");
    }

    /** Delegates to the simulated files but "loses power" when asked to rename. */
    private static final class CrashAtRename extends ForwardingFiles {
        CrashAtRename(StorageFiles delegate) {
            super(delegate);
        }

        @Override
        public void rename(Path from, Path to) throws IOException {
            throw new IOException("simulated crash before rename of " + from);
        }
    }
}
