package raftkv.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import raftkv.checker.History;
import raftkv.checker.JsonLinesFormat;
import raftkv.checker.Operation;
import raftkv.checker.Outcome;

/**
 * Collects the client operations of a run. Times are virtual milliseconds times a million plus a
 * counter within the millisecond, so events in the same millisecond keep their real order (the
 * checker treats equal times as concurrent, which would weaken the check).
 */
final class HistoryRecorder {
    private final LongSupplier millis;
    private final List<Operation> ops = new ArrayList<>();
    private long lastMillis = -1;
    private long within;

    HistoryRecorder(LongSupplier millis) {
        this.millis = millis;
    }

    long stamp() {
        long now = millis.getAsLong();
        if (now != lastMillis) {
            lastMillis = now;
            within = 0;
        }
        return now * 1_000_000 + within++;
    }

    void record(Operation op) {
        ops.add(op);
    }

    History history() {
        return new History(ops);
    }

    int size() {
        return ops.size();
    }

    long count(Outcome outcome) {
        return ops.stream().filter(o -> o.outcome() == outcome).count();
    }

    List<String> jsonLines() {
        List<String> lines = new ArrayList<>(ops.size());
        for (Operation op : ops) lines.add(JsonLinesFormat.format(op));
        return lines;
    }
}
