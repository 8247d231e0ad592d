package raftkv.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import raftkv.storage.fs.RealFiles;
import raftkv.storage.fs.SimulatedFiles;

class HardStateStoreTest {

    @TempDir
    Path dir;

    @Test
    void initialThenSavedStateSurvivesReopen() throws IOException {
        assertThat(new HardStateStore(RealFiles.INSTANCE, dir).load()).isEqualTo(StoredHardState.INITIAL);
        new HardStateStore(RealFiles.INSTANCE, dir).save(new StoredHardState(7, 2, 40));
        new HardStateStore(RealFiles.INSTANCE, dir).save(new StoredHardState(8, StoredHardState.NO_VOTE, 41));
        assertThat(new HardStateStore(RealFiles.INSTANCE, dir).load()).isEqualTo(new StoredHardState(8, -1, 41));
    }

    @Test
    void aVoteIsNeverForgottenAcrossACrash() throws IOException {
        for (int seed = 0; seed < 50; seed++) {
            SimulatedFiles files = new SimulatedFiles(new SplittableRandom(seed));
            Path d = Path.of("/sim/state");
            HardStateStore store = new HardStateStore(files, d);
            store.save(new StoredHardState(3, 1, 0));
            store.save(new StoredHardState(4, 2, 5));
            files.crash(true);
            assertThat(new HardStateStore(files, d).load()).isEqualTo(new StoredHardState(4, 2, 5));
        }
    }

    @Test
    void damagedHardStateIsReportedNotIgnored() throws IOException {
        SimulatedFiles files = new SimulatedFiles(new SplittableRandom(1));
        Path d = Path.of("/sim/state");
        new HardStateStore(files, d).save(new StoredHardState(4, 2, 5));
        files.flipBit(d.resolve(HardStateStore.FILE_NAME), 10, 3);
        assertThatThrownBy(() -> new HardStateStore(files, d).load())
                .isInstanceOf(CorruptLogException.class)
                .hasMessageContaining("hardstate")
                .hasMessageContaining("checksum");
    }
}
