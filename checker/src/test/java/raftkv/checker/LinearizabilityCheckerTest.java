package raftkv.checker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckerTest {

    private static final Duration BUDGET = Duration.ofSeconds(10);

    static Verdict kv(Operation... ops) {
        return LinearizabilityChecker.check(History.of(ops), Model.kv(), BUDGET);
    }

    static Command.Put putCmd(String key, String value) {
        return new Command.Put(key, value);
    }

    @Nested
    class PutAndGet {
        @Test
        void sequentialPutThenGetIsLinearizable() {
            assertThat(kv(
                    Operation.put(1, "k", "a", 0, 10),
                    Operation.get(2, "k", "a", 20, 30))).isInstanceOf(Verdict.Linearizable.class);
        }

        @Test
        void staleReadAfterCompletedOverwriteIsNot() {
            assertThat(kv(
                    Operation.put(1, "k", "a", 0, 10),
                    Operation.put(1, "k", "b", 20, 30),
                    Operation.get(2, "k", "a", 40, 50))).isInstanceOf(Verdict.NotLinearizable.class);
        }

        @Test
        void neverWrittenKeyReadsAbsentNotEmptyString() {
            assertThat(kv(Operation.get(1, "k", null, 0, 1))).isInstanceOf(Verdict.Linearizable.class);
            assertThat(kv(Operation.get(1, "k", "", 0, 1))).isInstanceOf(Verdict.NotLinearizable.class);
        }

        @Test
        void readOfValueNeverWrittenIsNot() {
            assertThat(kv(
                    Operation.put(1, "k", "a", 0, 10),
                    Operation.get(2, "k", "zzz", 5, 15))).isInstanceOf(Verdict.NotLinearizable.class);
        }

        @Test
        void concurrentReadMaySeeOldOrNewValue() {
            assertThat(kv(Operation.put(1, "k", "a", 0, 10), Operation.get(2, "k", "a", 5, 6)))
                    .isInstanceOf(Verdict.Linearizable.class);
            assertThat(kv(Operation.put(1, "k", "a", 0, 10), Operation.get(2, "k", null, 5, 6)))
                    .isInstanceOf(Verdict.Linearizable.class);
        }

        @Test
        void readsMustAgreeOnOrderOfConcurrentWrites() {
            // Two reads after both writes completed cannot disagree about the final value.
            assertThat(kv(
                    Operation.put(1, "k", "a", 0, 10),
                    Operation.put(2, "k", "b", 0, 10),
                    Operation.get(3, "k", "a", 20, 30),
                    Operation.get(4, "k", "b", 40, 50))).isInstanceOf(Verdict.NotLinearizable.class);
            assertThat(kv(
                    Operation.put(1, "k", "a", 0, 10),
                    Operation.put(2, "k", "b", 0, 10),
                    Operation.get(3, "k", "b", 20, 30),
                    Operation.get(4, "k", "b", 40, 50))).isInstanceOf(Verdict.Linearizable.class);
        }

        @Test
        void readsBackwardsInTimeAreNot() {
            // r1 sees the new value and finishes before r2 starts, yet r2 sees the old one.
            assertThat(kv(
                    Operation.put(1, "k", "a", 0, 1),
                    Operation.put(1, "k", "b", 10, 100),
                    Operation.get(2, "k", "b", 20, 30),
                    Operation.get(3, "k", "a", 40, 50))).isInstanceOf(Verdict.NotLinearizable.class);
        }

        @Test
        void touchingIntervalsCountAsConcurrent() {
            assertThat(kv(Operation.put(1, "k", "a", 0, 10), Operation.get(2, "k", null, 10, 20)))
                    .isInstanceOf(Verdict.Linearizable.class);
        }
    }

    @Nested
    class DeleteCasAppend {
        @Test
        void deleteMakesKeyAbsent() {
            assertThat(kv(
                    Operation.put(1, "k", "a", 0, 1),
                    Operation.delete(1, "k", 2, 3),
                    Operation.get(2, "k", null, 4, 5))).isInstanceOf(Verdict.Linearizable.class);
            assertThat(kv(
                    Operation.put(1, "k", "a", 0, 1),
                    Operation.delete(1, "k", 2, 3),
                    Operation.get(2, "k", "a", 4, 5))).isInstanceOf(Verdict.NotLinearizable.class);
        }

        @Test
        void casSwapsOnlyWhenValueMatches() {
            assertThat(kv(
                    Operation.put(1, "k", "a", 0, 1),
                    Operation.cas(1, "k", "a", "b", true, 2, 3),
                    Operation.get(2, "k", "b", 4, 5))).isInstanceOf(Verdict.Linearizable.class);
            assertThat(kv(
                    Operation.put(1, "k", "a", 0, 1),
                    Operation.cas(1, "k", "x", "b", true, 2, 3))).isInstanceOf(Verdict.NotLinearizable.class);
        }

        @Test
        void casThatDidNotSwapIsAnOkOperationWithFalseResult() {
            assertThat(kv(
                    Operation.put(1, "k", "a", 0, 1),
                    Operation.cas(1, "k", "x", "b", false, 2, 3),
                    Operation.get(2, "k", "a", 4, 5))).isInstanceOf(Verdict.Linearizable.class);
            assertThat(kv(
                    Operation.put(1, "k", "a", 0, 1),
                    Operation.cas(1, "k", "a", "b", false, 2, 3))).isInstanceOf(Verdict.NotLinearizable.class);
        }

        @Test
        void casExpectingAbsentMatchesNeverWrittenKey() {
            assertThat(kv(Operation.cas(1, "k", null, "a", true, 0, 1), Operation.get(1, "k", "a", 2, 3)))
                    .isInstanceOf(Verdict.Linearizable.class);
            assertThat(kv(Operation.cas(1, "k", null, "a", false, 0, 1)))
                    .isInstanceOf(Verdict.NotLinearizable.class);
        }

        @Test
        void appendConcatenatesInLinearizationOrder() {
            assertThat(kv(
                    Operation.append(1, "k", "a", 0, 1),
                    Operation.append(1, "k", "b", 2, 3),
                    Operation.get(2, "k", "ab", 4, 5))).isInstanceOf(Verdict.Linearizable.class);
            assertThat(kv(
                    Operation.append(1, "k", "a", 0, 1),
                    Operation.append(1, "k", "b", 2, 3),
                    Operation.get(2, "k", "ba", 4, 5))).isInstanceOf(Verdict.NotLinearizable.class);
            assertThat(kv(
                    Operation.append(1, "k", "a", 0, 3),
                    Operation.append(2, "k", "b", 0, 3),
                    Operation.get(3, "k", "ba", 4, 5))).isInstanceOf(Verdict.Linearizable.class);
        }
    }

    @Nested
    class Outcomes {
        @Test
        void writeWithUnknownOutcomeExplainsALaterRead() {
            assertThat(kv(
                    Operation.unknown(1, putCmd("k", "a"), 0),
                    Operation.get(2, "k", "a", 100, 110))).isInstanceOf(Verdict.Linearizable.class);
        }

        @Test
        void writeWithUnknownOutcomeMayNeverHappen() {
            assertThat(kv(
                    Operation.unknown(1, putCmd("k", "a"), 0),
                    Operation.get(2, "k", null, 100, 110))).isInstanceOf(Verdict.Linearizable.class);
        }

        @Test
        void unknownWriteCannotTakeEffectBeforeItsInvocation() {
            assertThat(kv(
                    Operation.get(2, "k", "a", 0, 10),
                    Operation.unknown(1, putCmd("k", "a"), 20))).isInstanceOf(Verdict.NotLinearizable.class);
        }

        @Test
        void unknownWriteTakesEffectAtMostOnce() {
            // Once overwritten, a value written by an unknown op cannot reappear.
            assertThat(kv(
                    Operation.unknown(1, putCmd("k", "a"), 0),
                    Operation.get(2, "k", "a", 10, 20),
                    Operation.put(3, "k", "b", 30, 40),
                    Operation.get(2, "k", "a", 50, 60))).isInstanceOf(Verdict.NotLinearizable.class);
        }

        @Test
        void readWithUnknownOutcomeConstrainsNothing() {
            assertThat(kv(
                    Operation.put(1, "k", "a", 0, 10),
                    Operation.unknown(2, new Command.Get("k"), 20),
                    Operation.get(3, "k", "a", 30, 40))).isInstanceOf(Verdict.Linearizable.class);
        }

        @Test
        void unknownCasSwapsOnlyIfItMatches() {
            assertThat(kv(
                    Operation.put(1, "k", "a", 0, 1),
                    Operation.unknown(2, new Command.Cas("k", "a", "b"), 2),
                    Operation.get(3, "k", "b", 10, 11))).isInstanceOf(Verdict.Linearizable.class);
            assertThat(kv(
                    Operation.put(1, "k", "a", 0, 1),
                    Operation.unknown(2, new Command.Cas("k", "x", "b"), 2),
                    Operation.get(3, "k", "b", 10, 11))).isInstanceOf(Verdict.NotLinearizable.class);
        }

        @Test
        void definitelyFailedOperationsAreRemoved() {
            assertThat(kv(
                    Operation.failed(1, putCmd("k", "a"), 0, 10),
                    Operation.get(2, "k", "a", 20, 30))).isInstanceOf(Verdict.NotLinearizable.class);
            assertThat(kv(
                    Operation.failed(1, putCmd("k", "a"), 0, 10),
                    Operation.get(2, "k", null, 20, 30))).isInstanceOf(Verdict.Linearizable.class);
        }
    }

    @Nested
    class ModelsAndBudget {
        @Test
        void keysAreCheckedIndependently() {
            Verdict v = kv(
                    Operation.put(1, "a", "1", 0, 10),
                    Operation.put(1, "b", "2", 20, 30),
                    Operation.get(2, "a", "1", 40, 50),
                    Operation.get(2, "b", "1", 40, 50));
            assertThat(v).isInstanceOfSatisfying(Verdict.NotLinearizable.class, n -> assertThat(n.key()).isEqualTo("b"));
        }

        @Test
        void registerModelIgnoresKeys() {
            History h = History.of(Operation.put(1, "a", "1", 0, 10), Operation.get(2, "b", "1", 20, 30));
            assertThat(LinearizabilityChecker.check(h, Model.register(), BUDGET)).isInstanceOf(Verdict.Linearizable.class);
            assertThat(LinearizabilityChecker.check(h, Model.kv(), BUDGET)).isInstanceOf(Verdict.NotLinearizable.class);
        }

        @Test
        void initialValueIsPartOfTheModel() {
            History h = History.of(Operation.get(1, "k", "", 0, 1));
            assertThat(LinearizabilityChecker.check(h, new Model.KeyValue(""), BUDGET)).isInstanceOf(Verdict.Linearizable.class);
        }

        @Test
        void emptyHistoryIsLinearizable() {
            assertThat(kv()).isInstanceOf(Verdict.Linearizable.class);
        }

        @Test
        void exhaustedBudgetGivesUnknownNeverAGuess() {
            // 16 concurrent unknown writes and an impossible read: the search must try many subsets.
            List<Operation> ops = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                ops.add(Operation.unknown(i, putCmd("k", "v" + i), i));
                ops.add(Operation.get(100 + i, "k", "v" + i, 20 + i, 1000));
            }
            ops.add(Operation.get(99, "k", "never", 50, 60));
            Verdict v = LinearizabilityChecker.check(new History(ops), Model.kv(), Duration.ZERO);
            assertThat(v).isInstanceOfSatisfying(Verdict.Unknown.class,
                    u -> assertThat(u.reason()).contains("budget").contains("key k"));
        }

        @Test
        void explanationNamesKeyOperationsAndTheStuckOperation() {
            Verdict v = kv(
                    Operation.put(1, "k1", "a", 0, 10),
                    Operation.put(1, "k1", "b", 20, 30),
                    Operation.get(7, "k1", "a", 40, 50));
            assertThat(v).isInstanceOfSatisfying(Verdict.NotLinearizable.class, n -> {
                assertThat(n.key()).isEqualTo("k1");
                assertThat(n.explanation())
                        .contains("key k1")
                        .contains("client 7 get(k1) [40..50] -> read \"a\"")
                        .contains("Longest linearizable prefix")
                        .contains("read \"a\" but the value is \"b\"");
            });
        }

        @Test
        void explanationIsShrunkToTheOperationsThatMatter() {
            List<Operation> ops = new ArrayList<>();
            long t = 0;
            for (int i = 0; i < 30; i++) {
                ops.add(Operation.put(1, "k", "v" + i, t, t + 5));
                ops.add(Operation.get(2, "k", "v" + i, t + 6, t + 8));
                t += 10;
            }
            ops.add(Operation.get(3, "k", "v3", t, t + 5)); // stale read at the end
            Verdict v = kv(ops.toArray(Operation[]::new));
            assertThat(v).isInstanceOfSatisfying(Verdict.NotLinearizable.class, n ->
                    assertThat(n.explanation()).contains("shrunk from 61").contains("read \"v3\""));
        }
    }
}
