package raftkv.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * What the clients of one run share: the operation budget, a small key space (so operations
 * conflict) and, per key, values recently seen, which compare-and-set draws its expected value from.
 */
final class Workload {
    private final List<String> keys = new ArrayList<>();
    private final List<List<String>> recentValues = new ArrayList<>();
    private int remaining;

    Workload(int operations, int keyCount) {
        this.remaining = operations;
        for (int i = 0; i < keyCount; i++) {
            keys.add("k" + i);
            recentValues.add(new ArrayList<>());
        }
    }

    /** Takes one operation from the budget; false when it is spent. */
    boolean take() {
        if (remaining <= 0) return false;
        remaining--;
        return true;
    }

    boolean spent() {
        return remaining <= 0;
    }

    int keyCount() {
        return keys.size();
    }

    String key(int i) {
        return keys.get(i);
    }

    /** Remembers a value written or read at key {@code i}; keeps the last few. */
    void saw(int i, String value) {
        if (value == null) return;
        List<String> recent = recentValues.get(i);
        recent.remove(value);
        recent.add(value);
        if (recent.size() > 4) recent.removeFirst();
    }

    List<String> recent(int i) {
        return recentValues.get(i);
    }
}
