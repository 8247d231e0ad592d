package raftkv.kv;

import java.util.Arrays;

/**
 * A strict reader over a byte array: every read checks bounds first and every length is checked
 * against its limit and the bytes remaining before anything is allocated. Problems throw
 * {@link MalformedCommandException} naming the offset.
 */
final class ByteReader {
    private final byte[] buf;
    private final int end;
    private final String subject;
    private int pos;

    ByteReader(byte[] buf, int from, int end, String subject) {
        this.buf = buf;
        this.pos = from;
        this.end = end;
        this.subject = subject;
    }

    ByteReader(byte[] buf, String subject) {
        this(buf, 0, buf.length, subject);
    }

    int position() {
        return pos;
    }

    int remaining() {
        return end - pos;
    }

    MalformedCommandException error(String problem) {
        return new MalformedCommandException("malformed " + subject + " at offset " + pos + ": " + problem);
    }

    int u8(String what) {
        if (pos >= end) {
            throw error("truncated: expected " + what);
        }
        return buf[pos++] & 0xFF;
    }

    int u32(String what) {
        if (end - pos < 4) {
            throw error("truncated: expected 4-byte " + what);
        }
        int v = ((buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16)
                | ((buf[pos + 2] & 0xFF) << 8) | (buf[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    boolean bool(String what) {
        int b = u8(what);
        if (b > 1) {
            throw error(what + " must be 0 or 1, was " + b);
        }
        return b == 1;
    }

    /** Unsigned LEB128, canonical form only (no redundant trailing zero groups). */
    long varlong(String what) {
        int start = pos;
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            if (pos >= end) {
                throw error("truncated varint " + what);
            }
            int b = buf[pos++] & 0xFF;
            if (shift == 63 && b > 1) {
                throw error("varint " + what + " overflows 64 bits");
            }
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (b == 0 && pos - start > 1) {
                    throw error("varint " + what + " is not in canonical form");
                }
                return v;
            }
        }
    }

    /** A varint that must be a non-negative long. */
    long nonNegative(String what) {
        long v = varlong(what);
        if (v < 0) {
            throw error(what + " out of range");
        }
        return v;
    }

    /** A count or length at most {@code max} that also fits in the bytes left (at least 1 each). */
    int count(String what, int max, int minBytesEach) {
        long n = varlong(what);
        if (n < 0 || n > max) {
            throw error(what + " " + Long.toUnsignedString(n) + " is over the limit of " + max);
        }
        if (n * minBytesEach > remaining()) {
            throw error(what + " " + n + " needs more bytes than the " + remaining() + " left");
        }
        return (int) n;
    }

    byte[] bytes(String what, int max) {
        int n = count(what + " length", max, 1);
        byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    Bytes optBytes(String what, int max) {
        return bool(what + " presence flag") ? Bytes.wrap(bytes(what, max)) : null;
    }

    void expectEnd() {
        if (pos != end) {
            throw error((end - pos) + " unexpected trailing bytes");
        }
    }
}
