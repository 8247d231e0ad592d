package raftkv.storage;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The fixed header at the start of every segment file:
 * {@code [magic "RKWL":4][version:int][firstIndex:long][crc32c of the previous 16 bytes:int]}.
 */
final class SegmentHeader {

    static final int SIZE = 20;
    static final int MAGIC = 0x524B574C; // "RKWL"
    static final int VERSION = 1;

    private SegmentHeader() {
    }

    static ByteBuffer encode(long firstIndex) {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        b.putInt(MAGIC).putInt(VERSION).putLong(firstIndex);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 16);
        b.putInt((int) crc.getValue());
        return b.flip();
    }

    /** Validates the header in {@code file[0..SIZE)} and returns its first index. */
    static long decode(Path file, ByteBuffer buf) throws CorruptLogException {
        if (buf.limit() < SIZE) {
            throw new CorruptLogException(file, 0, "segment shorter than its " + SIZE + "-byte header (" + buf.limit() + " bytes)");
        }
        int magic = buf.getInt(0);
        if (magic != MAGIC) {
            throw new CorruptLogException(file, 0, String.format("bad magic 0x%08x, expected 0x%08x", magic, MAGIC));
        }
        int version = buf.getInt(4);
        if (version != VERSION) {
            throw new CorruptLogException(file, 4, "unsupported segment format version " + version + " (this build reads version " + VERSION + ")");
        }
        CRC32C crc = new CRC32C();
        crc.update(buf.slice(0, 16));
        if ((int) crc.getValue() != buf.getInt(16)) {
            throw new CorruptLogException(file, 16, "segment header checksum mismatch");
        }
        long first = buf.getLong(8);
        if (first < 1) throw new CorruptLogException(file, 8, "segment first index " + first + " is not positive");
        return first;
    }
}
