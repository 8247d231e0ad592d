package raftkv.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

import raftkv.storage.fs.FileHandle;

/**
 * Reads a segment file on open and decides what it holds. The rules:
 * <ul>
 *   <li>every record must be whole, checksummed, and carry the next index in sequence;</li>
 *   <li>in the last segment, a bad record with nothing valid after it is a torn tail from a crash
 *       mid-write (short frame, short payload, bad checksum of the final record, zero fill): it
 *       is reported as {@code validEnd < fileSize} so the caller can cut it off;</li>
 *   <li>a bad record followed by a valid one, or any bad record in a segment that is not the
 *       last, is corruption: {@link CorruptLogException} naming the file and offset.</li>
 * </ul>
 * The scanner only reads; it never changes the file.
 */
final class SegmentScanner {

    /** What one segment holds; {@code offsets.get(i)} is where entry {@code firstIndex + i} starts. */
    record Result(long firstIndex, LongList offsets, LongList terms, long validEnd, long fileSize, String tornReason) {
        long lastIndex() {
            return firstIndex + offsets.size() - 1;
        }
    }

    private SegmentScanner() {
    }

    static Result scan(Path path, FileHandle handle, boolean isLast, int maxRecordBytes) throws IOException {
        long fileSize = handle.size();
        if (fileSize > Integer.MAX_VALUE - 64) {
            throw new CorruptLogException(path, 0, "segment file is " + fileSize + " bytes, larger than any segment this log writes");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) fileSize);
        handle.readFully(0, buf);
        buf.flip();
        long first = SegmentHeader.decode(path, buf);
        LongList offsets = new LongList();
        LongList terms = new LongList();
        int pos = SegmentHeader.SIZE;
        long expected = first;
        while (pos < buf.limit()) {
            String problem = problemAt(buf, pos, expected, maxRecordBytes);
            if (problem == null) {
                offsets.add(pos);
                terms.add(buf.getLong(pos + RecordCodec.FRAME_OVERHEAD + 8));
                pos += RecordCodec.FRAME_OVERHEAD + buf.getInt(pos);
                expected++;
                continue;
            }
            if (!isLast) {
                throw new CorruptLogException(path, pos, problem + " (in a segment that is not the last, so this cannot be a torn write)");
            }
            int next = findValidRecordAfter(buf, pos + 1, expected, maxRecordBytes);
            if (next >= 0) {
                throw new CorruptLogException(path, pos, problem + ", but a valid record follows at offset " + next + " (damage inside the log, not a torn tail)");
            }
            return new Result(first, offsets, terms, pos, fileSize, problem);
        }
        return new Result(first, offsets, terms, pos, fileSize, null);
    }

    /** Returns null if a whole, valid record with index {@code expected} starts at {@code pos}. */
    private static String problemAt(ByteBuffer buf, int pos, long expected, int maxRecordBytes) {
        int remaining = buf.limit() - pos;
        if (remaining < RecordCodec.FRAME_OVERHEAD) return "short record frame (" + remaining + " bytes left)";
        int len = buf.getInt(pos);
        if (len < RecordCodec.PAYLOAD_HEADER || len > maxRecordBytes) return "invalid record length " + len;
        if (len > remaining - RecordCodec.FRAME_OVERHEAD) {
            return "record length " + len + " runs past end of file (" + (remaining - RecordCodec.FRAME_OVERHEAD) + " bytes left)";
        }
        int payload = pos + RecordCodec.FRAME_OVERHEAD;
        if (RecordCodec.crc(buf, payload, len) != buf.getInt(pos + 4)) return "record checksum mismatch";
        long index = buf.getLong(payload);
        long term = buf.getLong(payload + 8);
        if (index != expected) return "record has index " + index + " where index " + expected + " was expected";
        if (term < 0) return "record has negative term " + term;
        return null;
    }

    /**
     * Looks for any checksummed record, at any byte offset from {@code from}, that could be a
     * later entry of this log. Cheap filters (length, plausible index) run before the checksum,
     * so zero fill and random bytes cost one pass.
     */
    private static int findValidRecordAfter(ByteBuffer buf, int from, long expected, int maxRecordBytes) {
        int limit = buf.limit();
        long maxPlausibleIndex = expected + limit / (RecordCodec.FRAME_OVERHEAD + RecordCodec.PAYLOAD_HEADER) + 1;
        for (int q = from; q + RecordCodec.FRAME_OVERHEAD + RecordCodec.PAYLOAD_HEADER <= limit; q++) {
            int len = buf.getInt(q);
            if (len < RecordCodec.PAYLOAD_HEADER || len > maxRecordBytes || len > limit - q - RecordCodec.FRAME_OVERHEAD) continue;
            long index = buf.getLong(q + RecordCodec.FRAME_OVERHEAD);
            if (index < expected || index > maxPlausibleIndex) continue;
            if (RecordCodec.crc(buf, q + RecordCodec.FRAME_OVERHEAD, len) == buf.getInt(q + 4)) return q;
        }
        return -1;
    }
}
