package raftkv.checker;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sequential specification a history is checked against. Both models hold, per partition, a
 * single value ({@code null} = absent); they differ in how the history is partitioned.
 */
public sealed interface Model permits Model.KeyValue, Model.Register {

    /** The value of a never-written key ({@code null} = absent). */
    String initialValue();

    String name();

    /** Splits a history into sub-histories that can be checked independently. */
    Map<String, List<Operation>> partition(List<Operation> ops);

    /** Multi-key store, checked key by key (P-compositionality). */
    record KeyValue(String initialValue) implements Model {
        @Override
        public String name() {
            return "kv";
        }

        @Override
        public Map<String, List<Operation>> partition(List<Operation> ops) {
            Map<String, List<Operation>> byKey = new LinkedHashMap<>();
            for (Operation op : ops) {
                byKey.computeIfAbsent(op.key(), k -> new java.util.ArrayList<>()).add(op);
            }
            return byKey;
        }
    }

    /** One compare-and-set register; keys are ignored. */
    record Register(String initialValue) implements Model {
        @Override
        public String name() {
            return "register";
        }

        @Override
        public Map<String, List<Operation>> partition(List<Operation> ops) {
            return Map.of("register", ops);
        }
    }

    /** Key-value model where a never-written key is absent (raftkv's own histories). */
    static Model kv() {
        return new KeyValue(null);
    }

    static Model register() {
        return new Register(null);
    }

    /** "kv" or "register", with the given initial value. */
    static Model named(String name, String initialValue) {
        return switch (name) {
            case "kv" -> new KeyValue(initialValue);
            case "register" -> new Register(initialValue);
            default -> throw new IllegalArgumentException("unknown model '" + name + "' (expected kv or register)");
        };
    }

    /** Whether {@code op} may take effect when the value is {@code state}. */
    static boolean accepts(String state, Operation op) {
        if (op.outcome() == Outcome.UNKNOWN) {
            return true; // its output was never observed
        }
        return switch (op.command()) {
            case Command.Get g -> java.util.Objects.equals(state, op.result());
            case Command.Cas c -> java.util.Objects.equals(state, c.expected()) == (Boolean) op.result();
            case Command.Put p -> true;
            case Command.Delete d -> true;
            case Command.Append a -> true;
        };
    }

    /** The value after {@code op} takes effect on {@code state} (assumes {@link #accepts}). */
    static String apply(String state, Operation op) {
        return switch (op.command()) {
            case Command.Get g -> state;
            case Command.Put p -> p.value();
            case Command.Delete d -> null;
            case Command.Cas c -> java.util.Objects.equals(state, c.expected()) ? c.value() : state;
            case Command.Append a -> state == null ? a.value() : state + a.value();
        };
    }
}
