package raftkv.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import raftkv.storage.fs.SimulatedFiles;

class NodeStorageTest {

    private final SimulatedFiles files = new SimulatedFiles(new SplittableRandom(7));
    private final Path dir = Path.of("/sim/n1");
    private final WalOptions options = new WalOptions(1024, 1 << 12);

    private static WalWriter.Callback collect(List<String> events) {
        return new WalWriter.Callback() {
            @Override
            public void onDurable() {
                events.add("ok");
            }

            @Override
            public void onFailure(IOException error) {
                events.add("failed: " + error.getMessage());
            }
        };
    }

    @Test
    void freshStorageIsEmpty() throws IOException {
        try (NodeStorage s = NodeStorage.open(files, dir, options, false)) {
            assertThat(s.recoveredHardState()).isEqualTo(StoredHardState.INITIAL);
            assertThat(s.recoveredSnapshot()).isEmpty();
            assertThat(s.log().lastIndex()).isZero();
        }
    }

    @Test
    void snapshotThenCompactionSurvivesACrash() throws IOException {
        List<String> events = new ArrayList<>();
        try (NodeStorage s = NodeStorage.open(files, dir, options, false)) {
            s.writer().submit(Records.range(1, 101, 2, 50), collect(events));
            s.hardState().save(new StoredHardState(2, 1, 90));
            s.saveSnapshot(new SnapshotMeta(60, 2, new byte[] {1}), new byte[] {42}, collect(events));
            assertThat(events).containsExactly("ok", "ok");
            assertThat(s.log().firstIndex()).isEqualTo(61);
        }
        files.crash(true);
        try (NodeStorage s = NodeStorage.open(files, dir, options, false)) {
            assertThat(s.recoveredHardState()).isEqualTo(new StoredHardState(2, 1, 90));
            assertThat(s.recoveredSnapshot().orElseThrow().meta().lastIndex()).isEqualTo(60);
            assertThat(s.log().firstIndex()).isEqualTo(61);
            assertThat(s.log().read(61, 101, Long.MAX_VALUE)).containsExactlyElementsOf(Records.range(61, 101, 2, 50));
        }
    }

    @Test
    void aLogThatDoesNotReachBackToTheSnapshotIsRefused() throws IOException {
        try (NodeStorage s = NodeStorage.open(files, dir, options, false)) {
            s.log().reset(200);
            s.writer().submit(Records.range(200, 210, 3, 10)).join();
            s.snapshots().save(new SnapshotMeta(50, 2, new byte[0]), new byte[0]);
        }
        assertThatThrownBy(() -> NodeStorage.open(files, dir, options, false))
                .isInstanceOf(CorruptLogException.class)
                .hasMessageContaining("log starts at index 200 but the snapshot ends at index 50");
    }

    @Test
    void aLogThatDisagreesWithTheSnapshotIsDiscarded() throws IOException {
        try (NodeStorage s = NodeStorage.open(files, dir, options, false)) {
            s.writer().submit(Records.range(1, 30, 1, 10)).join();
            s.snapshots().save(new SnapshotMeta(20, 4, new byte[0]), new byte[0]); // installed from a newer leader
        }
        try (NodeStorage s = NodeStorage.open(files, dir, options, false)) {
            assertThat(s.log().firstIndex()).isEqualTo(21);
            assertThat(s.log().lastIndex()).isEqualTo(20);
            s.writer().submit(Records.range(21, 23, 4, 10)).join();
            assertThat(s.log().termAt(22)).isEqualTo(4);
        }
    }
}
