package raftkv.storage;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Framing of one record: {@code [length:int][crc32c(payload):int][payload]} where payload is
 * {@code [index:long][term:long][data]} and length counts the payload bytes.
 */
final class RecordCodec {

    static final int FRAME_OVERHEAD = 8;
    static final int PAYLOAD_HEADER = 16;

    private RecordCodec() {
    }

    static int frameSize(LogRecord r) {
        return FRAME_OVERHEAD + PAYLOAD_HEADER + r.payload().length;
    }

    static void encode(LogRecord r, ByteBuffer out) {
        int start = out.position();
        int len = PAYLOAD_HEADER + r.payload().length;
        out.putInt(len).putInt(0).putLong(r.index()).putLong(r.term()).put(r.payload());
        CRC32C crc = new CRC32C();
        crc.update(out.slice(start + FRAME_OVERHEAD, len));
        out.putInt(start + 4, (int) crc.getValue());
    }

    static int crc(ByteBuffer buf, int payloadStart, int len) {
        CRC32C crc = new CRC32C();
        crc.update(buf.slice(payloadStart, len));
        return (int) crc.getValue();
    }

    /** Decodes a frame known to be whole and checksummed, starting at {@code pos}. */
    static LogRecord decodeVerified(ByteBuffer buf, int pos) {
        int len = buf.getInt(pos);
        long index = buf.getLong(pos + FRAME_OVERHEAD);
        long term = buf.getLong(pos + FRAME_OVERHEAD + 8);
        byte[] data = new byte[len - PAYLOAD_HEADER];
        buf.get(pos + FRAME_OVERHEAD + PAYLOAD_HEADER, data);
        return new LogRecord(index, term, data);
    }
}
