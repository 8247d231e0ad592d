package raftkv.kv;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable byte string used for keys and values. Equality is by content; ordering is unsigned
 * lexicographic (the order of the sorted store and of snapshots).
 */
public final class Bytes implements Comparable<Bytes> {
    public static final Bytes EMPTY = new Bytes(new byte[0]);

    private final byte[] data;
    private int hash; // cached; 0 means not yet computed (or genuinely 0, recomputed cheaply)

    private Bytes(byte[] data) {
        this.data = data;
    }

    /** Copies {@code data}, so later changes to the array do not affect this value. */
    public static Bytes of(byte[] data) {
        return new Bytes(data.clone());
    }

    /** The UTF-8 encoding of {@code text}. */
    public static Bytes utf8(String text) {
        return new Bytes(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Takes ownership of {@code data} without copying; only for arrays nobody else holds. */
    static Bytes wrap(byte[] data) {
        return new Bytes(data);
    }

    public int length() {
        return data.length;
    }

    public byte byteAt(int i) {
        return data[i];
    }

    /** A fresh copy of the content. */
    public byte[] toByteArray() {
        return data.clone();
    }

    /** The content decoded as UTF-8 (malformed sequences become U+FFFD). */
    public String asUtf8() {
        return new String(data, StandardCharsets.UTF_8);
    }

    /** Package-private view of the backing array for encoders; callers must not modify it. */
    byte[] unsafeArray() {
        return data;
    }

    @Override
    public int compareTo(Bytes other) {
        return Arrays.compareUnsigned(data, other.data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes b && Arrays.equals(data, b.data);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(data);
            hash = h;
        }
        return h;
    }

    /** Printable ASCII is shown as text, anything else as hex; long values are cut short. */
    @Override
    public String toString() {
        int shown = Math.min(data.length, 64);
        boolean printable = true;
        for (int i = 0; i < shown && printable; i++) {
            printable = data[i] >= 0x20 && data[i] < 0x7f;
        }
        String head = printable
                ? '"' + new String(data, 0, shown, StandardCharsets.US_ASCII) + '"'
                : "0x" + HexFormat.of().formatHex(data, 0, shown);
        return data.length > shown ? head + "...(" + data.length + " bytes)" : head;
    }
}
