package raftkv.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import raftkv.storage.fs.FileHandle;
import raftkv.storage.fs.StorageFiles;

/**
 * A segmented write-ahead log of {@link LogRecord}s in one directory.
 *
 * <p>Files: {@code <firstIndex, 20 digits>.wal}, each a {@link SegmentHeader} followed by records
 * framed by {@link RecordCodec}. New segments are written under a {@code .tmp} name and renamed,
 * so a segment file always has a whole header. A segment is fsynced before the next one is
 * created, so only the last segment can have a torn tail after a crash.
 *
 * <p>Indexes: an empty log has {@code lastIndex() == firstIndex() - 1}. A fresh directory starts
 * at index 1; appending to an empty log may start at any index (after a snapshot install).
 *
 * <p>Threads: mutations ({@code append}, {@code truncateSuffix}, {@code dropPrefix}) and
 * {@code sync} are serialized among themselves; reads may run concurrently from other threads and
 * never wait for an fsync. Normally one thread, {@link WalWriter}'s, does all mutations. After an
 * I/O error during a mutation or sync the log refuses further use (a failed fsync cannot be
 * retried safely); reopen it to recover.
 */
public final class SegmentedLog implements AutoCloseable {

    static final String SUFFIX = ".wal";
    static final String TMP_SUFFIX = ".tmp";

    private final StorageFiles files;
    private final Path dir;
    private final WalOptions options;
    private final Object writeMutex = new Object();
    private final List<Segment> segments = new ArrayList<>();
    private final List<Segment> dirty = new ArrayList<>();
    private long firstIndex = 1;
    private IOException failure;
    private boolean closed;

    private SegmentedLog(StorageFiles files, Path dir, WalOptions options) {
        this.files = files;
        this.dir = dir;
        this.options = options;
    }

    /**
     * Opens (creating if needed) the log in {@code dir}, cutting off a torn tail of the last
     * segment. Throws {@link CorruptLogException} (and changes nothing) on any other damage.
     */
    public static SegmentedLog open(StorageFiles files, Path dir, WalOptions options) throws IOException {
        SegmentedLog log = new SegmentedLog(files, dir, options);
        try {
            log.recover();
        } catch (IOException | RuntimeException e) {
            log.closeQuietly();
            throw e;
        }
        return log;
    }

    private void recover() throws IOException {
        files.createDirectories(dir);
        List<Path> segmentFiles = new ArrayList<>();
        List<Path> leftovers = new ArrayList<>();
        for (Path p : files.list(dir)) {
            String name = p.getFileName().toString();
            if (name.endsWith(SUFFIX)) segmentFiles.add(p);
            else if (name.endsWith(SUFFIX + TMP_SUFFIX)) leftovers.add(p);
        }
        List<SegmentScanner.Result> scans = new ArrayList<>();
        for (int i = 0; i < segmentFiles.size(); i++) {
            Path p = segmentFiles.get(i);
            long named = parseName(p);
            FileHandle h = files.open(p, false);
            SegmentScanner.Result r;
            try {
                r = SegmentScanner.scan(p, h, i == segmentFiles.size() - 1, options.maxRecordBytes());
            } catch (IOException | RuntimeException e) {
                h.close();
                throw e;
            }
            if (r.firstIndex() != named) {
                h.close();
                throw new CorruptLogException(p, 8, "header says first index " + r.firstIndex() + " but the file name says " + named);
            }
            if (!scans.isEmpty()) {
                SegmentScanner.Result prev = scans.get(scans.size() - 1);
                if (r.firstIndex() != prev.lastIndex() + 1) {
                    h.close();
                    Path prevPath = segmentFiles.get(i - 1);
                    throw new CorruptLogException(prevPath, prev.validEnd(), "missing segment: this file ends at index " + prev.lastIndex()
                            + " but the next file " + p.getFileName() + " starts at index " + r.firstIndex());
                }
            }
            scans.add(r);
            segments.add(new Segment(p, h, r.firstIndex(), r.offsets(), r.terms(), r.validEnd()));
        }
        // Everything is validated; only now change anything on disk.
        if (!scans.isEmpty()) {
            SegmentScanner.Result last = scans.get(scans.size() - 1);
            if (last.validEnd() < last.fileSize()) {
                Segment s = segments.get(segments.size() - 1);
                s.handle.truncate(last.validEnd());
                s.handle.force(true);
            }
            firstIndex = segments.get(0).firstIndex;
        }
        for (Path p : leftovers) files.delete(p);
        if (!leftovers.isEmpty()) files.syncDirectory(dir);
    }

    private static long parseName(Path p) throws CorruptLogException {
        String name = p.getFileName().toString();
        try {
            long v = Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
            if (v < 1) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new CorruptLogException(p, 0, "segment file name is not a positive first index");
        }
    }

    public synchronized long firstIndex() {
        return firstIndex;
    }

    public synchronized long lastIndex() {
        if (segments.isEmpty()) return firstIndex - 1;
        return Math.max(firstIndex - 1, segments.get(segments.size() - 1).lastIndex());
    }

    /** Bytes of all segment files (what a {@link SnapshotPolicy} weighs). */
    public synchronized long sizeBytes() {
        long total = 0;
        for (Segment s : segments) total += s.writePos;
        return total;
    }

    /** Number of segment files currently in use. */
    public synchronized int segmentCount() {
        return segments.size();
    }

    /** The term of entry {@code index}; throws IndexOutOfBoundsException outside [first, last]. */
    public synchronized long termAt(long index) {
        checkOpen();
        checkRange(index, index + 1);
        return segmentFor(index).termOf(index);
    }

    /**
     * Appends records with contiguous indexes. If the first index is at or below
     * {@link #lastIndex()}, the existing suffix from there is removed first (a Raft conflict).
     * Not durable until {@link #sync()}.
     */
    public void append(List<LogRecord> records) throws IOException {
        if (records.isEmpty()) return;
        synchronized (writeMutex) {
            synchronized (this) {
                ensureUsable();
                validate(records);
                try {
                    appendLocked(records);
                } catch (IOException | RuntimeException e) {
                    failure = e instanceof IOException io ? io : new IOException(e);
                    throw e;
                }
            }
        }
    }

    private void validate(List<LogRecord> records) {
        long first = records.get(0).index();
        for (int i = 0; i < records.size(); i++) {
            LogRecord r = records.get(i);
            if (r.index() != first + i) {
                throw new IllegalArgumentException("records must have contiguous indexes: " + r.index() + " follows " + (first + i - 1));
            }
            if (r.payload().length > options.maxRecordBytes() - RecordCodec.PAYLOAD_HEADER) {
                throw new IllegalArgumentException("record " + r.index() + " payload of " + r.payload().length
                        + " bytes exceeds the limit of " + (options.maxRecordBytes() - RecordCodec.PAYLOAD_HEADER));
            }
        }
        long last = lastIndex();
        boolean empty = last < firstIndex;
        if (first > last + 1 && !empty) {
            throw new IllegalArgumentException("append at index " + first + " would leave a gap after last index " + last);
        }
    }

    private void appendLocked(List<LogRecord> records) throws IOException {
        long first = records.get(0).index();
        if (first <= lastIndex()) truncateSuffixLocked(first);
        if (lastIndex() < firstIndex && first != lastIndex() + 1) resetTo(first);
        if (segments.isEmpty()) {
            firstIndex = first;
            segments.add(createSegment(first));
        }
        int i = 0;
        while (i < records.size()) {
            Segment seg = segments.get(segments.size() - 1);
            // Take as many records as fit in this segment (at least one if the segment is empty).
            int j = i;
            long bytes = 0;
            while (j < records.size()) {
                int f = RecordCodec.frameSize(records.get(j));
                boolean segEmpty = seg.count() == 0 && j == i;
                if (!segEmpty && seg.writePos + bytes + f > options.segmentBytes()) break;
                bytes += f;
                j++;
            }
            if (j > i) {
                writeBatch(seg, records.subList(i, j), (int) bytes);
                i = j;
            }
            if (i < records.size()) roll(seg, records.get(i).index());
        }
    }

    private void writeBatch(Segment seg, List<LogRecord> batch, int bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(bytes);
        long pos = seg.writePos;
        for (LogRecord r : batch) {
            seg.offsets.add(pos + buf.position());
            seg.terms.add(r.term());
            RecordCodec.encode(r, buf);
        }
        buf.flip();
        seg.handle.write(seg.writePos, buf);
        seg.writePos += bytes;
        if (!dirty.contains(seg)) dirty.add(seg);
    }

    /** Closes {@code full} durably and starts the next segment, so only the last can be torn. */
    private void roll(Segment full, long nextIndex) throws IOException {
        full.handle.force(false);
        dirty.remove(full);
        segments.add(createSegment(nextIndex));
    }

    private Segment createSegment(long first) throws IOException {
        Path path = dir.resolve(Segment.fileName(first));
        Path tmp = dir.resolve(Segment.fileName(first) + TMP_SUFFIX);
        files.delete(tmp);
        try (FileHandle h = files.open(tmp, true)) {
            h.write(0, SegmentHeader.encode(first));
            h.force(true);
        }
        files.rename(tmp, path);
        files.syncDirectory(dir);
        return new Segment(path, files.open(path, false), first, new LongList(), new LongList(), SegmentHeader.SIZE);
    }

    /** Makes everything appended so far durable: one fsync per segment written since the last sync. */
    public void sync() throws IOException {
        synchronized (writeMutex) {
            List<Segment> toForce;
            synchronized (this) {
                ensureUsable();
                toForce = List.copyOf(dirty);
                dirty.clear();
            }
            // Readers are not blocked while the disk works: only writeMutex is held here.
            try {
                for (Segment s : toForce) s.handle.force(false);
            } catch (IOException e) {
                synchronized (this) {
                    failure = e;
                }
                throw e;
            }
        }
    }

    /** Removes entries {@code fromIndex} and later, durably, before returning. */
    public void truncateSuffix(long fromIndex) throws IOException {
        mutate(() -> truncateSuffixLocked(fromIndex));
    }

    private void truncateSuffixLocked(long fromIndex) throws IOException {
        if (fromIndex > lastIndex()) return;
        if (segments.isEmpty() || fromIndex <= segments.get(0).firstIndex) {
            resetTo(fromIndex); // nothing before fromIndex survives: start over there
            return;
        }
        boolean deleted = false;
        // Highest first, so a crash part-way leaves a contiguous prefix of segments.
        while (segments.get(segments.size() - 1).firstIndex >= fromIndex) {
            deleteSegment(segments.remove(segments.size() - 1));
            deleted = true;
        }
        if (deleted) files.syncDirectory(dir);
        segments.get(segments.size() - 1).truncateFrom(fromIndex);
        if (fromIndex < firstIndex) firstIndex = fromIndex; // entries below stay on disk but hidden
    }

    /**
     * Forgets entries up to {@code uptoInclusive} (they are in a durable snapshot). Whole segments
     * below the point are deleted; {@link #firstIndex()} becomes {@code uptoInclusive + 1}. If the
     * point is at or past the last index, the log becomes empty and the next append may start at
     * any index. After a restart, entries of a partly dropped segment are visible again (the
     * caller's snapshot index says which ones matter).
     */
    public void dropPrefix(long uptoInclusive) throws IOException {
        mutate(() -> {
            if (uptoInclusive < firstIndex) return;
            if (uptoInclusive >= lastIndex()) {
                resetTo(uptoInclusive + 1);
                return;
            }
            firstIndex = uptoInclusive + 1;
            boolean deleted = false;
            while (segments.size() > 1 && segments.get(0).lastIndex() <= uptoInclusive) {
                deleteSegment(segments.remove(0));
                deleted = true;
            }
            if (deleted) files.syncDirectory(dir);
        });
    }

    /**
     * Discards the whole log; the next append may start at any index and {@link #firstIndex()}
     * becomes {@code nextIndex}. Used when an installed snapshot conflicts with the log.
     */
    public void reset(long nextIndex) throws IOException {
        if (nextIndex < 1) throw new IllegalArgumentException("next index must be >= 1: " + nextIndex);
        mutate(() -> resetTo(nextIndex));
    }

    /** A change to the log that may fail with an I/O error. */
    private interface Mutation {
        void run() throws IOException;
    }

    /**
     * Runs {@code change} holding both locks on a usable log; an I/O failure makes the log refuse
     * further use (its files may be half changed).
     */
    private void mutate(Mutation change) throws IOException {
        synchronized (writeMutex) {
            synchronized (this) {
                ensureUsable();
                try {
                    change.run();
                } catch (IOException e) {
                    failure = e;
                    throw e;
                }
            }
        }
    }

    /** Deletes every segment (lowest first: a crash part-way leaves a contiguous suffix). */
    private void resetTo(long newFirst) throws IOException {
        while (!segments.isEmpty()) deleteSegment(segments.remove(0));
        files.syncDirectory(dir);
        firstIndex = newFirst;
    }

    private void deleteSegment(Segment s) throws IOException {
        dirty.remove(s);
        s.close();
        files.delete(s.path);
    }

    /**
     * Reads entries in [from, toExclusive), stopping once {@code maxBytes} of payload would be
     * exceeded but always returning at least one entry if the range is not empty.
     */
    public synchronized List<LogRecord> read(long from, long toExclusive, long maxBytes) throws IOException {
        checkOpen();
        if (from > toExclusive) throw new IllegalArgumentException("from " + from + " > toExclusive " + toExclusive);
        if (from == toExclusive) return List.of();
        checkRange(from, toExclusive);
        List<LogRecord> out = new ArrayList<>();
        long budget = maxBytes;
        long index = from;
        boolean full = false;
        while (index < toExclusive && !full) {
            Segment seg = segmentFor(index);
            long last = index;
            while (last < toExclusive && last <= seg.lastIndex()) {
                long payload = seg.endOf(last) - seg.offsetOf(last) - RecordCodec.FRAME_OVERHEAD - RecordCodec.PAYLOAD_HEADER;
                boolean firstOfAll = out.isEmpty() && last == from;
                if (!firstOfAll && payload > budget) {
                    full = true;
                    break;
                }
                budget -= payload;
                last++;
            }
            if (last > index) readFrames(seg, seg.offsetOf(index), seg.endOf(last - 1), index, last, out);
            index = last;
        }
        return out;
    }

    private void readFrames(Segment seg, long start, long end, long fromIndex, long toExclusive, List<LogRecord> out) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) (end - start));
        seg.handle.readFully(start, buf);
        buf.flip();
        for (long i = fromIndex; i < toExclusive; i++) {
            int pos = (int) (seg.offsetOf(i) - start);
            int len = buf.getInt(pos);
            if (len != seg.endOf(i) - seg.offsetOf(i) - RecordCodec.FRAME_OVERHEAD
                    || RecordCodec.crc(buf, pos + RecordCodec.FRAME_OVERHEAD, len) != buf.getInt(pos + 4)) {
                throw new CorruptLogException(seg.path, seg.offsetOf(i), "record " + i + " failed its checksum when read back");
            }
            out.add(RecordCodec.decodeVerified(buf, pos));
        }
    }

    private Segment segmentFor(long index) {
        int lo = 0;
        int hi = segments.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (segments.get(mid).firstIndex <= index) lo = mid;
            else hi = mid - 1;
        }
        Segment s = segments.get(lo);
        if (!s.contains(index)) throw new IllegalStateException("no segment holds index " + index);
        return s;
    }

    private void checkRange(long from, long toExclusive) {
        if (from < firstIndex || toExclusive > lastIndex() + 1) {
            throw new IndexOutOfBoundsException("entries [" + from + ", " + toExclusive + ") are outside the log ["
                    + firstIndex + ", " + (lastIndex() + 1) + ")");
        }
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("log is closed");
    }

    private void ensureUsable() throws IOException {
        checkOpen();
        if (failure != null) throw new IOException("log refuses use after an earlier I/O failure; reopen it", failure);
    }

    @Override
    public void close() throws IOException {
        synchronized (writeMutex) {
            synchronized (this) {
                if (closed) return;
                closed = true;
                IOException first = null;
                for (Segment s : segments) {
                    try {
                        s.close();
                    } catch (IOException e) {
                        if (first == null) first = e;
                    }
                }
                if (first != null) throw first;
            }
        }
    }

    private void closeQuietly() {
        for (Segment s : segments) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already failing; the original exception is what matters
            }
        }
        segments.clear();
    }
}
