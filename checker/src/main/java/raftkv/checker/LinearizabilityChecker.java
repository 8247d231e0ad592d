package raftkv.checker;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Decides whether a history is linearizable with respect to a {@link Model}: each partition (key)
 * is checked on its own with {@link WglSearch}; the first failing partition is shrunk to a small
 * witness and explained. The budget bounds the whole check; past it the answer is
 * {@link Verdict.Unknown}, never a guess.
 */
public final class LinearizabilityChecker {

    /** Default extra time, after a definite "not linearizable", to shrink the explanation. */
    public static final Duration DEFAULT_EXPLAIN_BUDGET = Duration.ofMillis(500);

    private LinearizabilityChecker() {}

    public static Verdict check(History history, Model model, Duration budget) {
        return check(history, model, budget, DEFAULT_EXPLAIN_BUDGET);
    }

    /**
     * @param explainBudget extra time to shrink a violation to a small witness; it never changes the
     *                      verdict. {@link Duration#ZERO} skips the explanation entirely.
     */
    public static Verdict check(History history, Model model, Duration budget, Duration explainBudget) {
        Deadline deadline = Deadline.after(budget);
        Map<String, List<Operation>> partitions = model.partition(history.operations());
        String unknownReason = null;
        for (Map.Entry<String, List<Operation>> partition : partitions.entrySet()) {
            List<Operation> ops = Explanation.byInvocation(Preparation.normalize(partition.getValue()));
            WglSearch.Result result = new WglSearch(ops, model.initialValue(), deadline).run();
            switch (result.status()) {
                case LINEARIZABLE -> { }
                case NOT_LINEARIZABLE -> {
                    return new Verdict.NotLinearizable(partition.getKey(),
                            !explainBudget.isZero() ? explain(partition.getKey(), ops, model, explainBudget) : "key " + partition.getKey() + ": no linearization exists");
                }
                case TIMED_OUT -> unknownReason = "time budget of " + budget.toMillis() + " ms exhausted (key "
                        + partition.getKey() + ", " + ops.size() + " operations, " + result.steps() + " search steps)";
                case OUT_OF_MEMORY -> unknownReason = "search state cache limit reached (key " + partition.getKey()
                        + ", " + ops.size() + " operations)";
            }
        }
        return unknownReason == null ? new Verdict.Linearizable() : new Verdict.Unknown(unknownReason);
    }

    private static String explain(String key, List<Operation> ops, Model model, Duration shrinkBudget) {
        List<Operation> witness = Explanation.byInvocation(
                new Shrinker(model.initialValue(), Deadline.after(shrinkBudget)).shrink(ops));
        WglSearch.Result search = new WglSearch(witness, model.initialValue(), Deadline.after(shrinkBudget)).run();
        if (search.status() != WglSearch.Status.NOT_LINEARIZABLE) {
            // Cannot happen for a witness the shrinker accepted, unless time ran out: fall back.
            witness = ops;
            search = new WglSearch(ops, model.initialValue(), Deadline.after(shrinkBudget)).run();
        }
        return Explanation.of(key, ops, witness, search, model.initialValue());
    }
}
