package raftkv.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

import raftkv.storage.fs.FileHandle;
import raftkv.storage.fs.StorageFiles;

/**
 * Snapshot files, one per snapshot, metadata and data together so they are atomic:
 * {@code snapshot-<lastIndex>-<lastTerm>.snap} holding
 * {@code [magic "RKSN":4][version:int][lastIndex:long][lastTerm:long][configLen:int][config]
 * [data...][dataLen:long][crc32c of everything before:int]}. The length sits in a trailer so data
 * can be streamed in without knowing its size.
 *
 * <p>{@link #save} writes a temp file, fsyncs, renames, fsyncs the directory, and only then
 * deletes older snapshots. A crash at any point leaves the previous snapshot readable. Callers
 * drop log entries up to the snapshot only after {@code save} returned.
 */
public final class SnapshotStore {

    private static final int MAGIC = 0x524B534E; // "RKSN"
    private static final int VERSION = 1;
    private static final int FIXED_HEADER = 4 + 4 + 8 + 8 + 4;
    private static final int TRAILER = 8 + 4;
    private static final String PREFIX = "snapshot-";
    private static final String SUFFIX = ".snap";
    /** Largest snapshot {@link #loadLatest} will materialise in memory. */
    public static final long MAX_IN_MEMORY_BYTES = Integer.MAX_VALUE - 64;

    private final StorageFiles files;
    private final Path dir;

    /** Opens the snapshot directory, removing temp files left by a crash during {@link #save}. */
    public SnapshotStore(StorageFiles files, Path dir) throws IOException {
        this.files = files;
        this.dir = dir;
        files.createDirectories(dir);
        boolean removed = false;
        for (Path p : files.list(dir)) {
            if (p.getFileName().toString().endsWith(SUFFIX + AtomicFile.TMP_SUFFIX)) {
                files.delete(p);
                removed = true;
            }
        }
        if (removed) files.syncDirectory(dir);
    }

    public void save(SnapshotMeta meta, byte[] data) throws IOException {
        save(meta, new java.io.ByteArrayInputStream(data));
    }

    /** Durably stores a snapshot, then removes older ones. Returns once it survives a crash. */
    public void save(SnapshotMeta meta, InputStream data) throws IOException {
        Path target = dir.resolve(fileName(meta.lastIndex(), meta.lastTerm()));
        Path tmp = target.resolveSibling(target.getFileName() + AtomicFile.TMP_SUFFIX);
        files.delete(tmp);
        CRC32C crc = new CRC32C();
        try (FileHandle h = files.open(tmp, true)) {
            ByteBuffer head = ByteBuffer.allocate(FIXED_HEADER + meta.configuration().length);
            head.putInt(MAGIC).putInt(VERSION).putLong(meta.lastIndex()).putLong(meta.lastTerm())
                    .putInt(meta.configuration().length).put(meta.configuration()).flip();
            crc.update(head.duplicate());
            h.write(0, head);
            long pos = head.limit();
            long dataLen = 0;
            byte[] chunk = new byte[64 * 1024];
            for (int n; (n = data.read(chunk)) > 0; ) {
                crc.update(chunk, 0, n);
                h.write(pos, ByteBuffer.wrap(chunk, 0, n));
                pos += n;
                dataLen += n;
            }
            ByteBuffer tail = ByteBuffer.allocate(TRAILER);
            tail.putLong(dataLen);
            crc.update(tail.array(), 0, 8);
            tail.putInt((int) crc.getValue()).flip();
            h.write(pos, tail);
            h.force(true);
        }
        files.rename(tmp, target);
        files.syncDirectory(dir);
        // The new snapshot is durable: older ones may go now.
        for (Path p : snapshotFiles()) {
            if (!p.equals(target)) files.delete(p);
        }
        files.syncDirectory(dir);
    }

    /** Metadata of the newest snapshot (reads and verifies the whole file, like {@link #loadLatest}). */
    public Optional<SnapshotMeta> latestMeta() throws IOException {
        return loadLatest().map(StoredSnapshot::meta);
    }

    /** The newest snapshot, verified; empty if there is none; CorruptLogException if it is damaged. */
    public Optional<StoredSnapshot> loadLatest() throws IOException {
        List<Path> all = snapshotFiles();
        if (all.isEmpty()) return Optional.empty();
        Path newest = all.get(all.size() - 1);
        return Optional.of(read(newest));
    }

    private StoredSnapshot read(Path file) throws IOException {
        ByteBuffer b = AtomicFile.readAll(files, file, MAX_IN_MEMORY_BYTES);
        int size = b.limit();
        if (size < FIXED_HEADER + TRAILER) throw new CorruptLogException(file, 0, "snapshot file too short (" + size + " bytes)");
        if (b.getInt(0) != MAGIC) throw new CorruptLogException(file, 0, "bad snapshot magic");
        if (b.getInt(4) != VERSION) throw new CorruptLogException(file, 4, "unsupported snapshot format version " + b.getInt(4));
        CRC32C crc = new CRC32C();
        crc.update(b.slice(0, size - 4));
        if ((int) crc.getValue() != b.getInt(size - 4)) throw new CorruptLogException(file, size - 4, "snapshot checksum mismatch");
        int configLen = b.getInt(24);
        long dataLen = b.getLong(size - TRAILER);
        if (configLen < 0 || dataLen < 0 || (long) FIXED_HEADER + configLen + dataLen + TRAILER != size) {
            throw new CorruptLogException(file, 24, "snapshot lengths do not add up: config " + configLen + ", data " + dataLen + ", file " + size);
        }
        byte[] config = new byte[configLen];
        b.get(FIXED_HEADER, config);
        byte[] data = new byte[(int) dataLen];
        b.get(FIXED_HEADER + configLen, data);
        try {
            return new StoredSnapshot(new SnapshotMeta(b.getLong(8), b.getLong(16), config), data);
        } catch (IllegalArgumentException e) {
            throw new CorruptLogException(file, 8, "invalid snapshot metadata: " + e.getMessage());
        }
    }

    private List<Path> snapshotFiles() throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : files.list(dir)) {
            String n = p.getFileName().toString();
            if (n.startsWith(PREFIX) && n.endsWith(SUFFIX)) out.add(p);
        }
        return out; // names are zero-padded, so name order is index order
    }

    static String fileName(long index, long term) {
        return String.format("%s%020d-%020d%s", PREFIX, index, term, SUFFIX);
    }
}
