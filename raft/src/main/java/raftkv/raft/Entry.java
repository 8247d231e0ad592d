package raftkv.raft;

/**
 * One log entry. An empty {@code data} array is a no-op (a new leader appends one to commit
 * entries of earlier terms, Raft §5.4.2 / §8).
 */
public record Entry(long index, long term, byte[] data) {
    private static final byte[] EMPTY = new byte[0];

    public Entry {
        if (index < 1) throw new IllegalArgumentException("entry index must be >= 1: " + index);
        if (term < 1) throw new IllegalArgumentException("entry term must be >= 1: " + term);
        if (data == null) data = EMPTY;
    }

    public static Entry noop(long index, long term) {
        return new Entry(index, term, EMPTY);
    }

    public boolean isNoop() {
        return data.length == 0;
    }

    /** Approximate size on the wire, used to bound the size of one AppendEntries message. */
    public int sizeBytes() {
        return data.length + 24;
    }

    @Override
    public String toString() {
        return "Entry[" + index + "@" + term + ", " + data.length + "B]";
    }
}
