package raftkv.storage;

import java.util.Arrays;

/** A growable array of primitive longs (no boxing for the per-entry in-memory index). */
final class LongList {

    private long[] values = new long[64];
    private int size;

    int size() {
        return size;
    }

    long get(int i) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException(i + " of " + size);
        return values[i];
    }

    void add(long v) {
        if (size == values.length) values = Arrays.copyOf(values, size * 2);
        values[size++] = v;
    }

    void truncate(int newSize) {
        if (newSize < 0 || newSize > size) throw new IndexOutOfBoundsException(newSize + " of " + size);
        size = newSize;
    }
}
