package raftkv.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Test data: deterministic records with varied payload sizes. */
final class Records {

    private Records() {
    }

    static LogRecord record(long index, long term, int size) {
        byte[] p = new byte[size];
        new Random(index * 31 + term).nextBytes(p);
        return new LogRecord(index, term, p);
    }

    /** Records [from, toExclusive) in term {@code term}, payload sizes 0..(maxSize-1) varying. */
    static List<LogRecord> range(long from, long toExclusive, long term, int maxSize) {
        List<LogRecord> out = new ArrayList<>();
        for (long i = from; i < toExclusive; i++) out.add(record(i, term, (int) ((i * 7) % maxSize)));
        return out;
    }
}
