package raftkv.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

import raftkv.storage.fs.SimulatedFiles;

/**
 * One bit flipped in a log segment: in the record that starts at {@code recordOffset}, at byte
 * {@code byteOffset} of the file.
 *
 * <p>Where the flip lands decides what recovery must do. The log's format (a 20-byte segment
 * header, then records framed as a 4-byte length, a 4-byte checksum and the payload) lets a
 * reader tell a torn tail (a bad last record: cut it, start) from damage inside the log (a bad
 * record with a whole one after it: refuse to start, naming file and offset). {@link #interior}
 * only picks bytes of records that were synced before the crash, survived it unchanged, and have
 * another such record after them, so the flip is always damage inside the log. A flip in the
 * last record is just a torn tail; {@link #inLastRecord} picks one there (for tests).
 */
record BitFlip(Path file, long recordOffset, long byteOffset, int bit) {
    private static final int SEGMENT_HEADER = 20;
    private static final int FRAME = 8;
    private static final int PAYLOAD_HEADER = 16;

    private record Span(Path file, int start, int end) {}

    /**
     * A flip inside the log of a node that just crashed, or null if there is no eligible byte
     * (fewer than two synced records). {@code syncedBefore}: each segment's content before the
     * crash wrote the in-flight writes (all synced then); {@code files}: after the crash.
     */
    static BitFlip interior(Map<Path, byte[]> syncedBefore, SimulatedFiles files, RandomGenerator rng) {
        List<Span> candidates = new ArrayList<>();
        for (var e : new TreeMap<>(syncedBefore).entrySet()) {
            if (!files.exists(e.getKey())) continue;
            byte[] now = contents(files, e.getKey());
            List<Integer> starts = recordStarts(now, commonPrefix(e.getValue(), now));
            for (int i = 0; i + 1 < starts.size(); i++) {
                candidates.add(new Span(e.getKey(), starts.get(i), starts.get(i + 1)));
            }
        }
        if (candidates.isEmpty()) return null;
        Span s = candidates.get(rng.nextInt(candidates.size()));
        return new BitFlip(s.file(), s.start(), rng.nextInt(s.start(), s.end()), rng.nextInt(8));
    }

    /** A flip in the last whole record of {@code segment} (a tail, as a crash could tear it), or null. */
    static BitFlip inLastRecord(SimulatedFiles files, Path segment, RandomGenerator rng) {
        byte[] now = contents(files, segment);
        List<Integer> starts = recordStarts(now, now.length);
        if (starts.isEmpty()) return null;
        int start = starts.getLast();
        return new BitFlip(segment, start, rng.nextInt(start, now.length), rng.nextInt(8));
    }

    void apply(SimulatedFiles files) {
        try {
            files.flipBit(file, byteOffset, bit);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return file + " byte " + byteOffset + " bit " + bit + " (record at " + recordOffset + ")";
    }

    /** Where the whole records in {@code content[0, bound)} start. */
    static List<Integer> recordStarts(byte[] content, int bound) {
        List<Integer> starts = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(content);
        int p = SEGMENT_HEADER;
        while (p + FRAME <= bound) {
            int len = b.getInt(p);
            if (len < PAYLOAD_HEADER || len > bound - p - FRAME) break;
            starts.add(p);
            p += FRAME + len;
        }
        return starts;
    }

    private static int commonPrefix(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        int i = 0;
        while (i < n && a[i] == b[i]) i++;
        return i;
    }

    static byte[] contents(SimulatedFiles files, Path file) {
        try {
            return files.contents(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
