package raftkv.storage.node;

import static org.assertj.core.api.Assertions.assertThat;
import static raftkv.storage.node.Fixtures.describe;
import static raftkv.storage.node.Fixtures.entries;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import raftkv.raft.HardState;
import raftkv.raft.RestoredState;
import raftkv.storage.WalOptions;
import raftkv.storage.fs.SimulatedFiles;

/**
 * The threaded writer, made deterministic by holding its I/O thread inside a log fsync: what is
 * submitted meanwhile shares the next fsync, acknowledgements come back on the loop in order, and
 * a crash while an fsync is held loses only unacknowledged work.
 */
class GroupCommitTest {

    private static final Path DIR = Path.of("/node");

    @Test
    void persistsSubmittedDuringAnFsyncShareTheNextOne() throws Exception {
        SimulatedFiles disk = new SimulatedFiles(new SplittableRandom(3));
        GatedFiles files = new GatedFiles(disk);
        QueueLoop loop = new QueueLoop();
        DurableStorage s = DurableStorage.open(files, DIR, WalOptions.defaults(), true, loop);
        List<Integer> acks = new ArrayList<>();

        long fsyncsBefore = s.fsyncCount();     // (the writer holds its lock during an fsync: read it now)
        files.gateLog = true;
        s.persist(new HardState(1, 1, 0), null, entries(1, 3, 1), () -> acks.add(1));
        files.awaitHeld();                      // the I/O thread is inside the first fsync
        s.persist(null, null, entries(4, 5, 1), () -> acks.add(2));
        s.persist(new HardState(1, 1, 3), null, entries(6, 6, 1), () -> acks.add(3));
        s.persist(null, null, entries(7, 9, 1), () -> acks.add(4));
        assertThat(loop.queued()).as("nothing acknowledged while the fsync runs").isZero();

        files.release();                        // first fsync completes
        loop.runNext();
        assertThat(acks).containsExactly(1);
        files.awaitHeld();                      // the other three are in ONE batch, at its fsync
        files.release();
        loop.runNext();
        loop.runNext();
        loop.runNext();
        assertThat(acks).containsExactly(1, 2, 3, 4);
        assertThat(s.fsyncCount() - fsyncsBefore).as("one fsync for the first, one for the other three").isEqualTo(2);

        files.gateLog = false;
        s.close();
        RestoredState r = DurableStorage.open(disk, DIR, WalOptions.defaults(), false, loop).load();
        assertThat(describe(r.entries())).isEqualTo(describe(entries(1, 9, 1)));
        assertThat(r.hardState()).isEqualTo(new HardState(1, 1, 3));
    }

    @Test
    void crashDuringAHeldFsyncLosesOnlyUnacknowledgedEntries() throws Exception {
        for (int seed = 0; seed < 10; seed++) {
            SimulatedFiles disk = new SimulatedFiles(new SplittableRandom(seed));
            GatedFiles files = new GatedFiles(disk);
            QueueLoop loop = new QueueLoop();
            DurableStorage s = DurableStorage.open(files, DIR, WalOptions.defaults(), true, loop);
            boolean[] late = {false};

            files.gateLog = true;
            s.persist(new HardState(1, 1, 0), null, entries(1, 4, 1), () -> { });
            files.awaitHeld();
            files.release();
            loop.runNext();                         // entries 1..4 acknowledged
            s.persist(null, null, entries(5, 8, 1), () -> late[0] = true);
            files.awaitHeld();                      // written, not yet synced
            disk.crash(true);                       // power lost during the fsync
            files.release();                        // the fsync now fails: handle from before the crash
            s.close();
            assertThat(loop.runPending()).as("seed %d: no acknowledgement after the crash", seed).isZero();
            assertThat(late[0]).isFalse();
            assertThat(s.failure()).as("seed %d", seed).isNotNull();

            files.gateLog = false;
            RestoredState r = DurableStorage.open(disk, DIR, WalOptions.defaults(), false, loop).load();
            assertThat(r.entries().size()).as("seed %d", seed).isBetween(4, 8);
            assertThat(describe(r.entries())).as("seed %d: a prefix, no gap", seed)
                    .isEqualTo(describe(entries(1, r.entries().size(), 1)));
        }
    }
}
