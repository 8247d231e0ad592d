package raftkv.checker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Histories made by running the sequential model and stretching each operation's interval around
 * its linearization point are linearizable; adding a read of a value nobody wrote never is.
 */
class SequentialHistoryPropertiesTest {

    private static final Duration BUDGET = Duration.ofSeconds(20);

    @Property(tries = 200)
    void stretchedSequentialRunsAreLinearizable(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int length) {
        List<Operation> ops = sequentialRun(new Random(seed), length);
        assertThat(LinearizabilityChecker.check(new History(ops), Model.kv(), BUDGET))
                .isInstanceOf(Verdict.Linearizable.class);
    }

    @Property(tries = 200)
    void aReadOfAValueNeverWrittenIsNeverLinearizable(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int length) {
        Random random = new Random(seed);
        List<Operation> ops = sequentialRun(random, length);
        long at = random.nextInt(length * 10 + 1);
        ops.add(Operation.get(99, "k" + random.nextInt(2), "never-written", at, at + random.nextInt(50)));
        assertThat(LinearizabilityChecker.check(new History(ops), Model.kv(), BUDGET, Duration.ZERO))
                .isInstanceOf(Verdict.NotLinearizable.class);
    }

    /**
     * Operation i takes effect at time 10*i + 5 on a sequential two-key store; its interval is a
     * random stretch around that point, so intervals overlap arbitrarily but stay consistent.
     * Some mutations are reported with unknown outcome (they did happen), some reads are lost.
     */
    static List<Operation> sequentialRun(Random random, int length) {
        String[] store = new String[2];
        List<Operation> ops = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            int k = random.nextInt(2);
            String key = "k" + k;
            long point = 10L * i + 5;
            long invoke = Math.max(0, point - random.nextInt(40));
            long complete = point + random.nextInt(40);
            int client = i;
            String value = "v" + i;
            Operation op = switch (random.nextInt(5)) {
                case 0 -> Operation.get(client, key, store[k], invoke, complete);
                case 1 -> { store[k] = value; yield Operation.put(client, key, value, invoke, complete); }
                case 2 -> { store[k] = null; yield Operation.delete(client, key, invoke, complete); }
                case 3 -> {
                    String expected = random.nextBoolean() ? store[k] : "v" + random.nextInt(length);
                    boolean swapped = java.util.Objects.equals(expected, store[k]);
                    if (swapped) store[k] = value;
                    yield Operation.cas(client, key, expected, value, swapped, invoke, complete);
                }
                default -> {
                    store[k] = store[k] == null ? value : store[k] + value;
                    yield Operation.append(client, key, value, invoke, complete);
                }
            };
            if (op.command().mutates() && random.nextInt(8) == 0) op = op.asUnknown();
            ops.add(op);
        }
        return ops;
    }
}
