package raftkv.checker;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns one partition's raw operations into what the search needs, without changing whether the
 * history is linearizable:
 * <ul>
 *   <li>definitely failed operations never happened: removed;</li>
 *   <li>reads with unknown outcome constrain nothing and change nothing: removed;</li>
 *   <li>a mutating operation with unknown outcome that was invoked after every known-outcome
 *       operation completed can always be placed last, where nobody observes it: removed.</li>
 * </ul>
 */
final class Preparation {

    private Preparation() {}

    static List<Operation> normalize(List<Operation> ops) {
        long lastKnownCompletion = Long.MIN_VALUE;
        for (Operation op : ops) {
            if (op.outcome() == Outcome.OK) {
                lastKnownCompletion = Math.max(lastKnownCompletion, op.complete());
            }
        }
        List<Operation> kept = new ArrayList<>(ops.size());
        for (Operation op : ops) {
            boolean keep = switch (op.outcome()) {
                case OK -> true;
                case FAIL -> false;
                case UNKNOWN -> op.command().mutates() && op.invoke() <= lastKnownCompletion;
            };
            if (keep) kept.add(op);
        }
        return kept;
    }
}
