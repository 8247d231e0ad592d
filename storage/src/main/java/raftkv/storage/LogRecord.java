package raftkv.storage;

import java.util.Arrays;

/**
 * One log entry as the storage layer sees it: Raft index and term plus opaque bytes. The raft
 * core's own entry type is adapted to this by the node; storage never interprets the payload.
 */
public record LogRecord(long index, long term, byte[] payload) {

    public LogRecord {
        if (index < 1) throw new IllegalArgumentException("log index must be >= 1: " + index);
        if (term < 0) throw new IllegalArgumentException("log term must be >= 0: " + term);
        if (payload == null) throw new IllegalArgumentException("payload must not be null (use an empty array)");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogRecord r && r.index == index && r.term == term && Arrays.equals(r.payload, payload);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(index) * 31 + Long.hashCode(term) * 17 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "LogRecord[" + index + "@" + term + ", " + payload.length + "B]";
    }
}
