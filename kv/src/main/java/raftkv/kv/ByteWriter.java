package raftkv.kv;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/** A growable big-endian byte buffer with the few primitives the binary formats use. */
final class ByteWriter {
    private byte[] buf;
    private int size;

    ByteWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    int size() {
        return size;
    }

    void u8(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    void u32(int v) {
        ensure(4);
        buf[size++] = (byte) (v >>> 24);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
    }

    /** Unsigned LEB128: 7 bits a byte, low bits first; 1 byte for 0..127, at most 10 bytes. */
    void varlong(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
    }

    static int varlongSize(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            n++;
            v >>>= 7;
        }
        return n;
    }

    /** Length-prefixed bytes. */
    void bytes(byte[] b) {
        varlong(b.length);
        raw(b);
    }

    void raw(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
    }

    /** 0 for absent, or 1 followed by length-prefixed bytes. */
    void optBytes(Bytes b) {
        if (b == null) {
            u8(0);
        } else {
            u8(1);
            bytes(b.unsafeArray());
        }
    }

    static int bytesSize(Bytes b) {
        return varlongSize(b.length()) + b.length();
    }

    static int optBytesSize(Bytes b) {
        return b == null ? 1 : 1 + bytesSize(b);
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    /** Writes the content to {@code out} and empties this buffer (for streaming large output). */
    void drainTo(OutputStream out) throws IOException {
        out.write(buf, 0, size);
        size = 0;
    }

    private void ensure(int extra) {
        if (buf.length - size < extra) {
            long wanted = Math.max((long) buf.length * 2, (long) size + extra);
            if (wanted > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("encoded form over 2 GiB");
            }
            buf = Arrays.copyOf(buf, (int) wanted);
        }
    }
}
