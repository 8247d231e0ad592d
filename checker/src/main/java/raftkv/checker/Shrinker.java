package raftkv.checker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Shrinks a non-linearizable sub-history to a small one that is still non-linearizable, using only
 * relaxations (steps that can never turn a linearizable history into a non-linearizable one), so
 * the result is a genuine witness against the original:
 * <ul>
 *   <li>dropping an operation that changes nothing (a get, a cas that did not swap);</li>
 *   <li>turning a mutating operation into one with unknown outcome (may happen, or not).</li>
 * </ul>
 * First a binary search finds the shortest failing prefix (operations invoked later are relaxed),
 * then each remaining operation is relaxed in turn while the history keeps failing.
 */
final class Shrinker {

    private static final Duration PER_ATTEMPT = Duration.ofMillis(50);

    private final String initialState;
    private final Deadline deadline;

    Shrinker(String initialState, Deadline deadline) {
        this.initialState = initialState;
        this.deadline = deadline;
    }

    List<Operation> shrink(List<Operation> failing) {
        List<Operation> sorted = new ArrayList<>(failing);
        sorted.sort(Comparator.comparingLong(Operation::invoke));
        List<Operation> current = shortestFailingPrefix(sorted);
        // Read-only operations first, in shrinking chunks (cheap, and each removal drops a constraint).
        for (int chunk = Math.max(1, current.size() / 2); chunk >= 1 && !deadline.passed(); chunk /= 2) {
            for (int end = current.size(); end > 0 && !deadline.passed(); end -= chunk) {
                int from = Math.max(0, end - chunk);
                List<Operation> candidate = new ArrayList<>(current.subList(0, from));
                boolean dropped = false;
                for (Operation op : current.subList(from, Math.min(end, current.size()))) {
                    if (readOnly(op)) dropped = true; else candidate.add(op);
                }
                candidate.addAll(current.subList(Math.min(end, current.size()), current.size()));
                if (dropped && fails(candidate)) current = candidate;
            }
        }
        // Then mutating operations, one at a time, become "unknown outcome".
        for (int i = current.size() - 1; i >= 0 && !deadline.passed(); i--) {
            if (i >= current.size()) continue;
            Operation op = current.get(i);
            if (op.outcome() != Outcome.OK || readOnly(op)) continue;
            List<Operation> candidate = new ArrayList<>(current);
            candidate.set(i, op.asUnknown());
            candidate = Preparation.normalize(candidate);
            if (fails(candidate)) current = candidate;
        }
        return current;
    }

    private static boolean readOnly(Operation op) {
        return !op.command().mutates()
                || (op.outcome() == Outcome.OK && op.command() instanceof Command.Cas && Boolean.FALSE.equals(op.result()));
    }

    /** Keeps the first k operations as they are and relaxes all later ones; smallest k that fails. */
    private List<Operation> shortestFailingPrefix(List<Operation> sorted) {
        int lo = 1, hi = sorted.size(); // cut(hi) is known to fail
        while (lo < hi && !deadline.passed()) {
            int mid = (lo + hi) >>> 1;
            if (fails(cut(sorted, mid))) hi = mid; else lo = mid + 1;
        }
        return cut(sorted, hi);
    }

    private static List<Operation> cut(List<Operation> sorted, int k) {
        List<Operation> out = new ArrayList<>(sorted.subList(0, k));
        for (Operation op : sorted.subList(k, sorted.size())) {
            if (op.command().mutates()) out.add(op.asUnknown());
        }
        return Preparation.normalize(out);
    }

    private boolean fails(List<Operation> ops) {
        Deadline attempt = deadline.atMost(PER_ATTEMPT);
        return new WglSearch(ops, initialState, attempt).run().status() == WglSearch.Status.NOT_LINEARIZABLE;
    }
}
