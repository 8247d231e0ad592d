package raftkv.storage.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static raftkv.storage.node.Fixtures.describe;
import static raftkv.storage.node.Fixtures.entries;
import static raftkv.storage.node.Fixtures.snapshot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import raftkv.raft.HardState;
import raftkv.raft.RestoredState;
import raftkv.storage.CorruptLogException;
import raftkv.storage.WalOptions;
import raftkv.storage.fs.RealFiles;
import raftkv.storage.fs.SimulatedFiles;
import raftkv.storage.fs.StorageFiles;

/** The adapter on one node's files, with a synchronous writer unless said otherwise. */
class DurableStorageTest {

    private static final Path DIR = Path.of("/node");
    private static final WalOptions SMALL_SEGMENTS = WalOptions.withSegmentBytes(512);

    private final SimulatedFiles disk = new SimulatedFiles(new SplittableRandom(7));
    private final QueueLoop loop = new QueueLoop();

    private DurableStorage open(StorageFiles files) throws IOException {
        return DurableStorage.open(files, DIR, SMALL_SEGMENTS, false, loop);
    }

    /** Persists and returns a flag that turns true when onDurable ran (on the loop). */
    private boolean[] persist(DurableStorage s, HardState hs, raftkv.raft.Snapshot snap, List<raftkv.raft.Entry> es) {
        boolean[] acked = {false};
        s.persist(hs, snap, es, () -> acked[0] = true);
        return acked;
    }

    @Test
    void onDurableRunsOnTheLoopInCallOrder() throws IOException {
        DurableStorage s = open(disk);
        List<Integer> order = new ArrayList<>();
        s.persist(new HardState(1, 1, 0), null, entries(1, 3, 1), () -> order.add(1));
        s.persist(null, null, entries(4, 4, 1), () -> order.add(2));
        s.persist(new HardState(1, 1, 2), null, List.of(), () -> order.add(3));
        assertThat(order).as("never run inside persist, only on the loop").isEmpty();
        loop.runPending();
        assertThat(order).containsExactly(1, 2, 3);
    }

    @Test
    void cleanRestartRestoresEverything() throws IOException {
        DurableStorage s = open(disk);
        persist(s, new HardState(2, 3, 0), null, entries(1, 10, 1));
        persist(s, new HardState(2, 3, 8), null, entries(11, 12, 2));
        loop.runPending();
        s.close();

        RestoredState r = open(disk).load();
        assertThat(r.hardState()).as("close stores the latest durable commit").isEqualTo(new HardState(2, 3, 8));
        assertThat(r.snapshot()).isNull();
        assertThat(describe(r.entries())).isEqualTo(describe(concat(entries(1, 10, 1), entries(11, 12, 2))));
    }

    @Test
    void overlappingEntriesReplaceTheSuffix() throws IOException {
        DurableStorage s = open(disk);
        persist(s, new HardState(1, 1, 0), null, entries(1, 10, 1));
        persist(s, new HardState(2, 2, 0), null, entries(6, 7, 2));
        loop.runPending();
        disk.crash(true);
        assertThat(describe(open(disk).load().entries())).isEqualTo(describe(concat(entries(1, 5, 1), entries(6, 7, 2))));
    }

    @Test
    void aVoteWhoseOnDurableRanSurvivesACrash() throws IOException {
        DurableStorage s = open(disk);
        boolean[] acked = persist(s, new HardState(5, 2, 0), null, List.of());
        loop.runPending();
        assertThat(acked[0]).isTrue();
        disk.crash(true);
        RestoredState r = open(disk).load();
        assertThat(r.hardState().term()).isEqualTo(5);
        assertThat(r.hardState().votedFor()).isEqualTo(2);
    }

    @Test
    void commitOnlyChangesCostNoFsync() throws IOException {
        DurableStorage s = open(disk);
        persist(s, new HardState(1, 1, 0), null, entries(1, 5, 1));
        long before = disk.forceCount();
        persist(s, new HardState(1, 1, 3), null, List.of());
        assertThat(disk.forceCount()).as("commit-only change without entries").isEqualTo(before);
        persist(s, new HardState(1, 1, 4), null, entries(6, 6, 1));
        assertThat(disk.forceCount()).as("commit change with one entry: only the log fsync").isEqualTo(before + 1);
        persist(s, new HardState(2, -1, 4), null, List.of());
        assertThat(disk.forceCount()).as("a new term rewrites the hard state file").isGreaterThan(before + 1);
        loop.runPending();

        disk.crash(true);
        RestoredState r = open(disk).load();
        assertThat(r.hardState().term()).isEqualTo(2);
        assertThat(r.hardState().commit())
                .as("commit stored with the term change is the last one already durable, never past the log")
                .isEqualTo(4)
                .isLessThanOrEqualTo(r.entries().getLast().index());
    }

    @Test
    void aStoredCommitNeverPointsPastEntriesThatWereNotDurable() throws IOException {
        GatedFiles files = new GatedFiles(disk);
        DurableStorage s = open(files);
        persist(s, new HardState(1, 1, 0), null, entries(1, 8, 1));
        persist(s, new HardState(1, 1, 8), null, List.of());
        loop.runPending();
        files.failingLog = true;
        // A new term (so the hard state file is rewritten) with a commit covering entries whose fsync fails.
        boolean[] acked = persist(s, new HardState(2, 2, 12), null, entries(9, 12, 2));
        loop.runPending();
        assertThat(acked[0]).isFalse();
        disk.crash(true);

        RestoredState r = open(disk).load();
        assertThat(r.hardState().term()).as("the term is durable even though the batch failed").isEqualTo(2);
        assertThat(r.hardState().commit()).as("only the commit of a completed persist is stored").isEqualTo(8);
        assertContiguous(r);
    }

    @Test
    void snapshotFromLeaderThatConflictsResetsTheLog() throws IOException {
        DurableStorage s = open(disk);
        persist(s, new HardState(1, 1, 0), null, entries(1, 10, 1));
        boolean[] acked = persist(s, new HardState(3, -1, 20), snapshot(20, 3), entries(21, 22, 3));
        loop.runPending();
        assertThat(acked[0]).isTrue();
        disk.crash(true);

        RestoredState r = open(disk).load();
        assertThat(r.snapshot().meta().index()).isEqualTo(20);
        assertThat(r.snapshot().meta().term()).isEqualTo(3);
        assertThat(r.snapshot().meta().configuration()).isEqualTo(Fixtures.MEMBERS);
        assertThat(new String(r.snapshot().data())).isEqualTo("state through 20");
        assertThat(describe(r.entries())).isEqualTo(describe(entries(21, 22, 3)));
    }

    @Test
    void snapshotFromLeaderMatchingTheLogKeepsTheSuffix() throws IOException {
        DurableStorage s = open(disk);
        persist(s, new HardState(1, 1, 0), null, entries(1, 30, 1));
        persist(s, null, snapshot(12, 1), List.of());
        loop.runPending();
        disk.crash(true);

        RestoredState r = open(disk).load();
        assertThat(r.snapshot().meta().index()).isEqualTo(12);
        assertThat(describe(r.entries())).isEqualTo(describe(entries(13, 30, 1)));
    }

    @Test
    void ownSnapshotThenCrashKeepsSnapshotAndLaterEntries() throws IOException {
        DurableStorage s = open(disk);
        persist(s, new HardState(1, 1, 0), null, entries(1, 40, 1));
        int segmentsBefore = disk.list(DIR.resolve("wal")).size();
        s.saveSnapshot(snapshot(30, 1));
        persist(s, new HardState(1, 1, 40), null, entries(41, 45, 1));
        loop.runPending();
        assertThat(disk.list(DIR.resolve("wal")).size()).as("segments below the snapshot are gone").isLessThan(segmentsBefore);
        disk.crash(true);

        RestoredState r = open(disk).load();
        assertThat(r.snapshot().meta().index()).isEqualTo(30);
        assertThat(describe(r.entries())).isEqualTo(describe(entries(31, 45, 1)));
    }

    @Test
    void anOlderSnapshotNeverReplacesANewerOne() throws IOException {
        DurableStorage s = open(disk);
        persist(s, new HardState(1, 1, 0), null, entries(1, 20, 1));
        s.saveSnapshot(snapshot(15, 1));
        s.saveSnapshot(snapshot(10, 1));
        s.close();
        RestoredState r = open(disk).load();
        assertThat(r.snapshot().meta().index()).isEqualTo(15);
        assertThat(describe(r.entries())).isEqualTo(describe(entries(16, 20, 1)));
    }

    @Test
    void failedFsyncIsNeverAcknowledgedAndAcknowledgedDataSurvives() throws IOException {
        GatedFiles files = new GatedFiles(disk);
        DurableStorage s = open(files);
        boolean[] first = persist(s, new HardState(1, 1, 0), null, entries(1, 8, 1));
        files.failing = true;
        boolean[] second = persist(s, null, null, entries(9, 12, 1));
        boolean[] third = persist(s, new HardState(2, 2, 0), null, entries(13, 13, 2));
        loop.runPending();
        assertThat(first[0]).isTrue();
        assertThat(second[0]).isFalse();
        assertThat(third[0]).as("nothing after a failure is acknowledged").isFalse();
        assertThat(s.failure()).isNotNull().hasMessageContaining("injected");

        disk.crash(true);
        RestoredState r = open(disk).load();
        assertThat(r.hardState().term()).as("the unacknowledged vote was never written").isEqualTo(1);
        assertThat(describe(r.entries()).subList(0, 8)).isEqualTo(describe(entries(1, 8, 1)));
        assertContiguous(r);
    }

    /**
     * Many seeded histories: appends, overwrites, term changes, own snapshots; then the disk starts
     * failing fsyncs, more is written, and the power goes. Every acknowledged entry is back, the
     * log has no gap, and the term and vote are never older than the acknowledged ones.
     */
    @Test
    void randomHistoriesKeepEveryAcknowledgedEntryAcrossTornCrashes() throws IOException {
        for (int seed = 0; seed < 60; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed);
            SimulatedFiles sim = new SimulatedFiles(new SplittableRandom(seed * 31L + 1));
            GatedFiles files = new GatedFiles(sim);
            DurableStorage s = DurableStorage.open(files, DIR, SMALL_SEGMENTS, false, loop);
            List<raftkv.raft.Entry> acked = new ArrayList<>();
            long[] ackedTerm = {0};
            long term = 1;
            long last = 0;
            long snap = 0;
            List<raftkv.raft.Entry> model = new ArrayList<>();
            int steps = 5 + rnd.nextInt(40);
            for (int i = 0; i < steps; i++) {
                if (rnd.nextInt(10) == 0) term++;
                long from = last + 1;
                if (last > snap && rnd.nextInt(5) == 0) from = snap + 1 + rnd.nextLong(last - snap); // overwrite a suffix
                List<raftkv.raft.Entry> batch = entries(from, from + rnd.nextInt(6), term);
                while (!model.isEmpty() && model.getLast().index() >= from) model.removeLast();
                model.addAll(batch);
                last = batch.getLast().index();
                List<raftkv.raft.Entry> snapshotOfModel = List.copyOf(model);
                long t = term;
                s.persist(new HardState(term, 1, 0), null, batch, () -> {
                    acked.clear();
                    acked.addAll(snapshotOfModel);
                    ackedTerm[0] = t;
                });
                if (rnd.nextInt(8) == 0 && last - snap > 3) {
                    snap = snap + 1 + rnd.nextLong(last - snap - 1);
                    s.saveSnapshot(snapshot(snap, model.get((int) (snap - model.getFirst().index())).term()));
                    long cut = snap;
                    model.removeIf(e -> e.index() <= cut);
                }
                loop.runPending();
            }
            files.failing = true;
            // Usually the term stays (so the entries are written and only their fsync fails).
            long failingTerm = rnd.nextInt(4) == 0 ? term + 1 : term;
            s.persist(new HardState(failingTerm, 1, 0), null, entries(last + 1, last + 1 + rnd.nextInt(5), failingTerm), () -> {
                throw new AssertionError("acknowledged after a failed fsync");
            });
            loop.runPending();
            sim.crash(true);

            RestoredState r = DurableStorage.open(sim, DIR, SMALL_SEGMENTS, false, loop).load();
            long snapIndex = r.snapshot() == null ? 0 : r.snapshot().meta().index();
            assertThat(snapIndex).as("seed %d: snapshot", seed).isEqualTo(snap);
            assertContiguous(r);
            List<raftkv.raft.Entry> expected = acked.stream().filter(e -> e.index() > snapIndex).toList();
            assertThat(r.entries().size()).as("seed %d", seed).isGreaterThanOrEqualTo(expected.size());
            assertThat(describe(r.entries().subList(0, expected.size()))).as("seed %d: acknowledged entries", seed).isEqualTo(describe(expected));
            assertThat(r.hardState().term()).as("seed %d: term", seed).isGreaterThanOrEqualTo(ackedTerm[0]);
        }
    }

    @Test
    void damageInsideTheLogIsReportedWithFileAndOffsetAndNothingIsDeleted() throws IOException {
        DurableStorage s = open(disk);
        persist(s, new HardState(1, 1, 0), null, entries(1, 40, 1));
        loop.runPending();
        List<Path> segments = disk.list(DIR.resolve("wal"));
        Path damaged = segments.get(1);
        disk.flipBit(damaged, 40, 3);
        disk.crash(false);

        assertThatThrownBy(() -> open(disk))
                .isInstanceOf(CorruptLogException.class)
                .hasMessageContaining(damaged.getFileName().toString())
                .hasMessageContaining("offset");
        assertThat(disk.list(DIR.resolve("wal"))).isEqualTo(segments);
    }

    @Test
    void realFilesWithTheThreadedWriterKeepEverythingAcrossRestart(@TempDir Path tmp) throws Exception {
        RealFiles files = RealFiles.INSTANCE;
        DurableStorage s = DurableStorage.open(files, tmp, WalOptions.withSegmentBytes(4096), true, loop);
        assertThat(s.load().entries()).isEmpty();
        int[] acks = {0};
        s.persist(new HardState(3, 1, 0), null, entries(1, 50, 3), () -> acks[0]++);
        s.saveSnapshot(snapshot(20, 3));
        s.persist(new HardState(3, 1, 45), null, entries(51, 60, 3), () -> acks[0]++);
        loop.runNext();
        loop.runNext();
        assertThat(acks[0]).isEqualTo(2);
        s.close();

        DurableStorage again = DurableStorage.open(files, tmp, WalOptions.withSegmentBytes(4096), true, loop);
        RestoredState r = again.load();
        assertThat(r.hardState()).isEqualTo(new HardState(3, 1, 45));
        assertThat(r.snapshot().meta().index()).isEqualTo(20);
        assertThat(r.snapshot().meta().configuration()).isEqualTo(Fixtures.MEMBERS);
        assertThat(describe(r.entries())).isEqualTo(describe(entries(21, 60, 3)));
        again.close();
    }

    private static void assertContiguous(RestoredState r) {
        long expect = (r.snapshot() == null ? 0 : r.snapshot().meta().index()) + 1;
        for (raftkv.raft.Entry e : r.entries()) assertThat(e.index()).as("no gap").isEqualTo(expect++);
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
