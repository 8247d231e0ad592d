package raftkv.checker;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** Writes the human-readable account of why a (shrunk) sub-history has no linearization. */
final class Explanation {

    private Explanation() {}

    static String of(String key, List<Operation> original, List<Operation> witness, WglSearch.Result search, String initialState) {
        List<Operation> ops = new ArrayList<>(witness);
        StringBuilder out = new StringBuilder();
        out.append("key ").append(key).append(": no order of these ").append(ops.size())
                .append(" operations is consistent with their real-time order and results");
        if (ops.size() != original.size()) {
            out.append(" (shrunk from ").append(original.size()).append("; later operations whose outcome does not matter were relaxed to 'unknown outcome' or dropped)");
        }
        out.append(":\n");
        for (int i = 0; i < ops.size(); i++) {
            out.append("  #").append(i + 1).append(' ').append(ops.get(i).describe()).append('\n');
        }
        int[] prefix = search.bestPrefix();
        boolean[] placed = new boolean[ops.size()];
        String state = initialState;
        StringBuilder order = new StringBuilder();
        for (int idx : prefix) {
            placed[idx] = true;
            state = Model.apply(state, ops.get(idx));
            order.append(order.isEmpty() ? "" : ", ").append('#').append(idx + 1)
                    .append(ops.get(idx).outcome() == Outcome.UNKNOWN ? "(took effect)" : "");
        }
        out.append("Longest linearizable prefix found (most known-outcome operations placed): ")
                .append(prefix.length == 0 ? "(none)" : order)
                .append("; value then: ").append(Operation.quote(state)).append('\n');
        long deadlineOfRest = Long.MAX_VALUE;
        int mustGo = -1;
        for (int i = 0; i < ops.size(); i++) {
            if (!placed[i] && ops.get(i).complete() < deadlineOfRest) {
                deadlineOfRest = ops.get(i).complete();
                mustGo = i;
            }
        }
        if (mustGo >= 0) {
            out.append("Could not place next (candidates invoked before #").append(mustGo + 1)
                    .append(" returned at ").append(deadlineOfRest).append("):\n");
            for (int i = 0; i < ops.size(); i++) {
                Operation op = ops.get(i);
                if (placed[i] || op.invoke() > deadlineOfRest) continue;
                out.append("  #").append(i + 1).append(": ").append(whyNot(state, op)).append('\n');
            }
        }
        return out.toString();
    }

    private static String whyNot(String state, Operation op) {
        if (Model.accepts(state, op)) {
            return "allowed here, but no order of the remaining operations works after it";
        }
        return switch (op.command()) {
            case Command.Get g -> "read " + Operation.quote((String) op.result()) + " but the value is " + Operation.quote(state);
            case Command.Cas c -> (Boolean.TRUE.equals(op.result()) ? "swapped" : "did not swap")
                    + " although the value is " + Operation.quote(state)
                    + (Objects.equals(state, c.expected()) ? " (== expected)" : " (!= expected " + Operation.quote(c.expected()) + ")");
            default -> "not allowed in value " + Operation.quote(state);
        };
    }

    static List<Operation> byInvocation(List<Operation> ops) {
        List<Operation> sorted = new ArrayList<>(ops);
        sorted.sort(Comparator.comparingLong(Operation::invoke).thenComparingLong(Operation::complete));
        return sorted;
    }
}
