package raftkv.checker;

/** The checker's answer for a history. */
public sealed interface Verdict {

    record Linearizable() implements Verdict {
        @Override
        public String toString() {
            return "linearizable";
        }
    }

    /** No linearization exists; {@code explanation} says where and why (multi-line text). */
    record NotLinearizable(String key, String explanation) implements Verdict {
        @Override
        public String toString() {
            return "NOT linearizable (key " + key + ")";
        }
    }

    /** The search did not finish (budget exhausted); this is not a guess either way. */
    record Unknown(String reason) implements Verdict {
        @Override
        public String toString() {
            return "unknown: " + reason;
        }
    }

    default boolean isLinearizable() {
        return this instanceof Linearizable;
    }
}
