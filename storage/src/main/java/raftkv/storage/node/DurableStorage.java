package raftkv.storage.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;

import raftkv.node.EventLoop;
import raftkv.node.Storage;
import raftkv.raft.Entry;
import raftkv.raft.HardState;
import raftkv.raft.RestoredState;
import raftkv.raft.Snapshot;
import raftkv.storage.CorruptLogException;
import raftkv.storage.LogRecord;
import raftkv.storage.NodeStorage;
import raftkv.storage.SegmentedLog;
import raftkv.storage.SnapshotMeta;
import raftkv.storage.StoredHardState;
import raftkv.storage.StoredSnapshot;
import raftkv.storage.WalOptions;
import raftkv.storage.WalWriter;
import raftkv.storage.fs.StorageFiles;

/**
 * Makes a {@link raftkv.node.RaftNode} durable: the node's {@link Storage} on top of
 * {@link NodeStorage} (segmented log, hard state file, snapshot files).
 *
 * <p>Threads: {@link #persist} and {@link #saveSnapshot} are called on the node's event loop and
 * never touch the disk there; each becomes one task on the {@link WalWriter}'s I/O thread, in call
 * order, so everything submitted while an fsync runs shares the next fsync (group commit).
 * {@code onDurable} goes back to the loop through {@link EventLoop#execute}, in call order. With a
 * synchronous writer all of it runs inline in the caller (deterministic tests, the simulator);
 * {@code onDurable} is still only queued on the loop, never run inside {@code persist}.
 *
 * <p>Hard state: the file is rewritten (fsync + rename) only when term or vote change, before the
 * {@code onDurable} of that persist. Commit-only changes are not written: the commit index stored
 * with the next term/vote change (and on {@link #close()}) is the highest commit whose persist has
 * completed, so a stored commit never points past entries that are durable here. A restarted node
 * may therefore restore an older commit index; Raft does not need it (the leader re-announces it).
 *
 * <p>Failure: after any I/O error the writer refuses all further work; no later {@code onDurable}
 * runs, so the node stops acknowledging (safe: it cannot help commit), the error is printed to
 * stderr once and kept in {@link #failure()}. Restart the process to recover from the files.
 */
public final class DurableStorage implements Storage, AutoCloseable {

    private final NodeStorage storage;
    private final Path dir;
    private final EventLoop loop;
    private final AtomicReference<IOException> failure = new AtomicReference<>();
    private boolean closed;

    // Touched only by the writer's thread (the caller's in synchronous mode), after construction.
    private long savedTerm;
    private int savedVote;
    private long savedCommit;
    private long durableCommit;
    private long snapshotIndex;

    /**
     * Adapts already opened (and so recovered) storage kept in {@code dir} (named in error
     * messages); {@code onDurable} callbacks go to {@code loop}.
     */
    public DurableStorage(NodeStorage storage, Path dir, EventLoop loop) {
        this.storage = storage;
        this.dir = dir;
        this.loop = loop;
        StoredHardState hs = storage.recoveredHardState();
        this.savedTerm = hs.term();
        this.savedVote = hs.votedFor();
        this.savedCommit = hs.commitIndex();
        this.durableCommit = hs.commitIndex();
        this.snapshotIndex = storage.recoveredSnapshot().map(s -> s.meta().lastIndex()).orElse(0L);
    }

    /**
     * Opens (creating if needed) a node's storage in {@code dir} and recovers it: a torn log tail
     * is cut off; any other damage throws {@link CorruptLogException} naming file and offset, and
     * nothing is deleted. {@code threaded}: group commit on an I/O thread (a server) or inline
     * writes (tests, simulator).
     */
    public static DurableStorage open(StorageFiles files, Path dir, WalOptions options, boolean threaded, EventLoop loop) throws IOException {
        return new DurableStorage(NodeStorage.open(files, dir, options, threaded), dir, loop);
    }

    // ------------------------------------------------------------------ Storage

    /**
     * What is on disk, in order after everything submitted so far: hard state, newest snapshot and
     * the entries after it. Blocks until the I/O thread got there (call it at start). Damage found
     * while reading is thrown as an {@link UncheckedIOException} wrapping the
     * {@link CorruptLogException}.
     */
    @Override
    public RestoredState load() {
        CompletableFuture<RestoredState> result = new CompletableFuture<>();
        RestoredState[] read = new RestoredState[1];
        storage.writer().submitTask(log -> {
            read[0] = readState(log);
            return false;
        }, new WalWriter.Callback() {
            @Override
            public void onDurable() {
                result.complete(read[0]);
            }

            @Override
            public void onFailure(IOException error) {
                result.completeExceptionally(error);
            }
        });
        try {
            return result.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) throw new UncheckedIOException("cannot load node storage: " + io.getMessage(), io);
            throw e;
        }
    }

    @Override
    public void persist(HardState hardState, Snapshot snapshot, List<Entry> entries, Runnable onDurable) {
        List<LogRecord> records = new ArrayList<>(entries.size());
        for (Entry e : entries) records.add(new LogRecord(e.index(), e.term(), e.data()));
        SnapshotMeta meta = snapshot == null ? null : toStored(snapshot);
        byte[] data = snapshot == null ? null : snapshot.data();
        storage.writer().submitTask(log -> {
            try {
                if (meta != null) installFromLeader(log, meta, data);
                if (hardState != null && (hardState.term() != savedTerm || hardState.votedFor() != savedVote)) {
                    saveHardState(hardState.term(), hardState.votedFor(), durableCommit);
                }
                log.append(records);
                return !records.isEmpty();
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                // A gap or a bad record here means storage and core disagree: stop acknowledging.
                throw new IOException("cannot persist: " + e.getMessage(), e);
            }
        }, new WalWriter.Callback() {
            @Override
            public void onDurable() {
                if (hardState != null) durableCommit = Math.max(durableCommit, hardState.commit());
                loop.execute(onDurable);
            }

            @Override
            public void onFailure(IOException error) {
                fail(error);
            }
        });
    }

    /**
     * Stores the node's own snapshot durably, then drops the log prefix it covers, in order with
     * the appends around it (entries after the snapshot stay). Nothing to wait for: a failure is
     * reported through {@link #failure()} and stops later acknowledgements.
     */
    @Override
    public void saveSnapshot(Snapshot snapshot) {
        SnapshotMeta meta = toStored(snapshot);
        byte[] data = snapshot.data();
        storage.writer().submitTask(log -> {
            if (meta.lastIndex() <= snapshotIndex) return false; // an older one than we have
            storage.snapshots().save(meta, data);
            snapshotIndex = meta.lastIndex();
            log.dropPrefix(meta.lastIndex());
            return false;
        }, new WalWriter.Callback() {
            @Override
            public void onDurable() {
            }

            @Override
            public void onFailure(IOException error) {
                fail(error);
            }
        });
    }

    // ------------------------------------------------------------------ I/O thread

    /**
     * A snapshot from the leader: durable first, then the log continues after it. If the log holds
     * the snapshot's last entry with the same term, the suffix after it is kept (as RaftLog.restore
     * does); otherwise the whole log is discarded. A crash in between is repaired on open.
     */
    private void installFromLeader(SegmentedLog log, SnapshotMeta meta, byte[] data) throws IOException {
        long index = meta.lastIndex();
        if (index <= snapshotIndex) return;
        storage.snapshots().save(meta, data);
        snapshotIndex = index;
        boolean holds = log.firstIndex() <= index && index <= log.lastIndex() && log.termAt(index) == meta.lastTerm();
        if (holds) log.dropPrefix(index);
        else log.reset(index + 1);
    }

    private void saveHardState(long term, int vote, long commit) throws IOException {
        storage.hardState().save(new StoredHardState(term, vote, commit));
        savedTerm = term;
        savedVote = vote;
        savedCommit = commit;
    }

    private RestoredState readState(SegmentedLog log) throws IOException {
        Optional<StoredSnapshot> stored = storage.snapshots().loadLatest();
        Snapshot snapshot = null;
        if (stored.isPresent()) snapshot = toRaft(stored.get());
        long from = Math.max(log.firstIndex(), snapshotIndex + 1);
        List<Entry> entries = new ArrayList<>();
        if (from <= log.lastIndex()) {
            for (LogRecord r : log.read(from, log.lastIndex() + 1, Long.MAX_VALUE)) {
                entries.add(new Entry(r.index(), r.term(), r.payload()));
            }
        }
        return new RestoredState(new HardState(savedTerm, savedVote, durableCommit), snapshot, entries);
    }

    // ------------------------------------------------------------------ conversions

    private static SnapshotMeta toStored(Snapshot s) {
        return new SnapshotMeta(s.meta().index(), s.meta().term(), ConfigurationCodec.encode(s.meta().configuration()));
    }

    private Snapshot toRaft(StoredSnapshot s) throws CorruptLogException {
        try {
            var conf = ConfigurationCodec.decode(s.meta().configuration());
            return new Snapshot(new raftkv.raft.SnapshotMeta(s.meta().lastIndex(), s.meta().lastTerm(), conf), s.data());
        } catch (IllegalArgumentException e) {
            throw new CorruptLogException(dir.resolve("snapshots"), 0,
                    "snapshot " + s.meta().lastIndex() + "@" + s.meta().lastTerm() + " has a bad configuration: " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ failure, close

    private void fail(IOException error) {
        if (failure.compareAndSet(null, error)) {
            System.err.println("raftkv storage: I/O failure, this node stops acknowledging writes until restarted: " + error);
        }
    }

    /** The I/O error that stopped this storage, or null while healthy. */
    public IOException failure() {
        return failure.get();
    }

    /** Number of log fsyncs so far (group commit: one per batch that appended); waits for an fsync in progress. */
    public long fsyncCount() {
        return storage.writer().fsyncCount();
    }

    /**
     * Finishes what was submitted, stores the latest durable commit index if it moved since the
     * hard state file was last written (cheap, once), and closes the files.
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) return;
        closed = true;
        storage.writer().close();
        try {
            if (failure() == null && storage.writer().failure() == null && durableCommit != savedCommit) {
                saveHardState(savedTerm, savedVote, durableCommit);
            }
        } finally {
            storage.close();
        }
    }
}
