package raftkv.checker;

import java.util.Objects;

/**
 * What a client asked for. Values are strings; {@code null} means "absent" (no value stored),
 * which is a valid expected value for {@link Cas}.
 */
public sealed interface Command {
    String key();

    /** True when the command can change the stored value (so it cannot simply be dropped). */
    default boolean mutates() {
        return !(this instanceof Get);
    }

    record Get(String key) implements Command {
        public Get { Objects.requireNonNull(key, "key"); }
    }

    record Put(String key, String value) implements Command {
        public Put {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    record Delete(String key) implements Command {
        public Delete { Objects.requireNonNull(key, "key"); }
    }

    /** Swaps in {@code value} iff the current value equals {@code expected} (null = absent). */
    record Cas(String key, String expected, String value) implements Command {
        public Cas {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    /** Concatenates {@code value} to the current value (absent counts as ""). */
    record Append(String key, String value) implements Command {
        public Append {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }
}
