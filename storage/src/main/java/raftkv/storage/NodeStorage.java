package raftkv.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import raftkv.storage.fs.StorageFiles;

/**
 * Everything one node keeps on disk, under one directory: {@code wal/} (the log),
 * {@code hardstate}, and {@code snapshots/}. Opening checks that snapshot and log fit together
 * and lines the log up behind the snapshot; {@link #saveSnapshot} makes a snapshot durable
 * before any log entry it covers is dropped.
 */
public final class NodeStorage implements AutoCloseable {

    private final SegmentedLog log;
    private final WalWriter writer;
    private final HardStateStore hardState;
    private final SnapshotStore snapshots;
    private final StoredHardState recoveredHardState;
    private final Optional<StoredSnapshot> recoveredSnapshot;

    private NodeStorage(SegmentedLog log, WalWriter writer, HardStateStore hardState, SnapshotStore snapshots,
                        StoredHardState recoveredHardState, Optional<StoredSnapshot> recoveredSnapshot) {
        this.log = log;
        this.writer = writer;
        this.hardState = hardState;
        this.snapshots = snapshots;
        this.recoveredHardState = recoveredHardState;
        this.recoveredSnapshot = recoveredSnapshot;
    }

    /**
     * Opens or creates a node's storage. {@code threadedWriter}: true for the real server (group
     * commit on an I/O thread), false for tests and the simulator (writes complete inline).
     *
     * @throws CorruptLogException if any file is damaged, or the log does not continue the snapshot
     */
    public static NodeStorage open(StorageFiles files, Path dir, WalOptions options, boolean threadedWriter) throws IOException {
        HardStateStore hs = new HardStateStore(files, dir);
        StoredHardState state = hs.load();
        SnapshotStore snaps = new SnapshotStore(files, dir.resolve("snapshots"));
        Optional<StoredSnapshot> snap = snaps.loadLatest();
        Path walDir = dir.resolve("wal");
        SegmentedLog log = SegmentedLog.open(files, walDir, options);
        try {
            alignWithSnapshot(log, walDir, snap.map(StoredSnapshot::meta).orElse(null));
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
        WalWriter writer = threadedWriter ? WalWriter.start(log, "wal-" + dir.getFileName()) : WalWriter.synchronous(log);
        return new NodeStorage(log, writer, hs, snaps, state, snap);
    }

    /**
     * The log must start no later than right after the snapshot (else entries are missing). Entries
     * the snapshot covers are dropped; if the log disagrees with the snapshot at its last index
     * (an installed snapshot from a leader, crash before the log was reset) the log is discarded.
     */
    private static void alignWithSnapshot(SegmentedLog log, Path walDir, SnapshotMeta snap) throws IOException {
        long covered = snap == null ? 0 : snap.lastIndex();
        boolean empty = log.lastIndex() < log.firstIndex();
        if (!empty && log.firstIndex() > covered + 1) {
            throw new CorruptLogException(walDir, 0, "log starts at index " + log.firstIndex() + " but "
                    + (snap == null ? "there is no snapshot" : "the snapshot ends at index " + covered) + ": entries are missing");
        }
        if (snap == null) return;
        if (empty) {
            if (log.firstIndex() != covered + 1) log.reset(covered + 1);
        } else if (log.firstIndex() > covered) {
            return; // the log continues right after the snapshot
        } else if (log.lastIndex() >= covered && log.termAt(covered) == snap.lastTerm()) {
            log.dropPrefix(covered);
        } else {
            log.reset(covered + 1);
        }
    }

    public SegmentedLog log() {
        return log;
    }

    /** The single writer of the log: submit appends (and prefix drops) here. */
    public WalWriter writer() {
        return writer;
    }

    public HardStateStore hardState() {
        return hardState;
    }

    public SnapshotStore snapshots() {
        return snapshots;
    }

    /** Hard state as found on open. */
    public StoredHardState recoveredHardState() {
        return recoveredHardState;
    }

    /** The newest snapshot as found on open, if any. */
    public Optional<StoredSnapshot> recoveredSnapshot() {
        return recoveredSnapshot;
    }

    /**
     * Durably saves a snapshot (blocking: call it off the event loop), then asks the writer to drop
     * the log prefix it covers; {@code onCompacted} hears when that is done.
     */
    public void saveSnapshot(SnapshotMeta meta, byte[] data, WalWriter.Callback onCompacted) throws IOException {
        snapshots.save(meta, data);
        writer.submitDropPrefix(meta.lastIndex(), onCompacted);
    }

    /** Stops the writer (finishing what was submitted) and closes the log. */
    @Override
    public void close() throws IOException {
        writer.close();
        log.close();
    }
}
