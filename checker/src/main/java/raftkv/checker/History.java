package raftkv.checker;

import java.util.ArrayList;
import java.util.List;

/** A recorded client history: operations in any order (the checker orders them by time). */
public record History(List<Operation> operations) {

    public History {
        operations = List.copyOf(operations);
    }

    public static History of(Operation... ops) {
        return new History(List.of(ops));
    }

    public static Builder builder() {
        return new Builder();
    }

    public int size() {
        return operations.size();
    }

    /** Collects operations as a recorder sees them. Not thread-safe. */
    public static final class Builder {
        private final List<Operation> ops = new ArrayList<>();

        public Builder add(Operation op) {
            ops.add(op);
            return this;
        }

        public History build() {
            return new History(ops);
        }
    }
}
