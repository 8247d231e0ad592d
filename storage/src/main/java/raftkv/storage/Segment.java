package raftkv.storage;

import java.io.IOException;
import java.nio.file.Path;

import raftkv.storage.fs.FileHandle;

/** One open segment file and the in-memory index of its entries (offset and term per entry). */
final class Segment {

    final Path path;
    final FileHandle handle;
    final long firstIndex;
    final LongList offsets;
    final LongList terms;
    long writePos;

    Segment(Path path, FileHandle handle, long firstIndex, LongList offsets, LongList terms, long writePos) {
        this.path = path;
        this.handle = handle;
        this.firstIndex = firstIndex;
        this.offsets = offsets;
        this.terms = terms;
        this.writePos = writePos;
    }

    static String fileName(long firstIndex) {
        return String.format("%020d%s", firstIndex, SegmentedLog.SUFFIX);
    }

    int count() {
        return offsets.size();
    }

    long lastIndex() {
        return firstIndex + offsets.size() - 1;
    }

    boolean contains(long index) {
        return index >= firstIndex && index <= lastIndex();
    }

    long offsetOf(long index) {
        return offsets.get((int) (index - firstIndex));
    }

    long termOf(long index) {
        return terms.get((int) (index - firstIndex));
    }

    /** Where the frame of {@code index} ends: the next entry's offset, or the write position. */
    long endOf(long index) {
        int i = (int) (index - firstIndex);
        return i + 1 < offsets.size() ? offsets.get(i + 1) : writePos;
    }

    /** Drops entries from {@code index} on, in memory and on disk (durably). */
    void truncateFrom(long index) throws IOException {
        int keep = (int) (index - firstIndex);
        if (keep >= count()) return;
        long cut = offsets.get(keep);
        offsets.truncate(keep);
        terms.truncate(keep);
        writePos = cut;
        handle.truncate(cut);
        handle.force(true);
    }

    void close() throws IOException {
        handle.close();
    }
}
