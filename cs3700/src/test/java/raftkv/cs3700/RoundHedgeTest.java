package raftkv.cs3700;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A round of new entries that nobody answers in time is reported once, after a wait that follows the network. */
class RoundHedgeTest {
    private record Scheduled(long delayMillis, Runnable task, boolean[] cancelled) {}

    private final List<Scheduled> scheduled = new ArrayList<>();
    private final AtomicLong nanos = new AtomicLong();
    private final AtomicInteger silences = new AtomicInteger();
    private final RoundHedge hedge = new RoundHedge((delay, task) -> {
        boolean[] cancelled = {false};
        scheduled.add(new Scheduled(delay, task, cancelled));
        return () -> cancelled[0] = true;
    }, nanos::get, 2, silences::incrementAndGet);

    private void fireLast() {
        Scheduled s = scheduled.getLast();
        if (!s.cancelled()[0]) s.task().run();
    }

    /** One round answered at once: how long answers take here is known. */
    private void oneRoundAnswered() {
        hedge.roundSent(Set.of("0001"));
        hedge.heard("0001");
    }

    @Test
    void underHeavyLossARoundNobodyAnswersIsReportedOnceTheWaitIsOver() {
        oneRoundAnswered();
        for (int i = 0; i < 2; i++) { // the first silences show heavy loss; they are not reported
            hedge.roundSent(Set.of("0001"));
            fireLast();
        }
        assertThat(silences).hasValue(0);
        hedge.roundSent(Set.of("0001", "0002", "0003"));
        assertThat(scheduled.getLast().delayMillis()).isEqualTo(2);
        hedge.heard("0004"); // not sent the round: no answer to it
        fireLast();
        assertThat(silences).hasValue(1);
    }

    @Test
    void beforeAnyRoundWasAnsweredNoSilenceIsReported() {
        for (int i = 0; i < 10; i++) { // answers slower than the floor, or lost: nothing to judge by yet
            hedge.roundSent(Set.of("0001", "0002"));
            fireLast();
        }
        assertThat(silences).hasValue(0);
        oneRoundAnswered();
        hedge.roundSent(Set.of("0001", "0002"));
        fireLast();
        assertThat(silences).hasValue(1);
    }

    @Test
    void anAnswerFromAnyOfItsFollowersCancelsIt() {
        hedge.roundSent(Set.of("0001", "0002", "0003"));
        hedge.heard("0002");
        fireLast();
        assertThat(silences).hasValue(0);
    }

    @Test
    void aNewerRoundReplacesTheWaitingOne() {
        hedge.roundSent(Set.of("0001", "0002"));
        Scheduled first = scheduled.getLast();
        hedge.roundSent(Set.of("0003", "0004"));
        assertThat(first.cancelled()[0]).isTrue();
    }

    @Test
    void theWaitIsTheFloorUnlessTheMedianAnswerTakesLongerThenItFollowsIt() {
        for (int i = 0; i < RoundHedge.SAMPLES; i++) { // answers after 4 ms: a slower network
            hedge.roundSent(Set.of("0001"));
            nanos.addAndGet(4_000_000);
            hedge.heard("0001");
        }
        assertThat(hedge.waitMillis()).isEqualTo(7); // 1.7 x 4 ms, rounded
        for (int i = 0; i < RoundHedge.SAMPLES; i++) { // then after 1.9 ms: within the floor
            hedge.roundSent(Set.of("0001"));
            nanos.addAndGet(1_900_000);
            hedge.heard("0001");
        }
        assertThat(hedge.waitMillis()).isEqualTo(2);
    }

    @Test
    void underLightLossWhereFewRoundsGoSilentNoneIsReported() {
        for (int i = 0; i < 40; i++) { // seven rounds in eight answered in time
            hedge.roundSent(Set.of("0001", "0002"));
            if (i % 8 == 0) fireLast();
            else hedge.heard("0001");
        }
        int before = silences.get();
        hedge.roundSent(Set.of("0001", "0002"));
        fireLast();
        assertThat(silences.get()).isEqualTo(before);
        for (int i = 0; i < 10; i++) { // then most go silent: heavy loss
            hedge.roundSent(Set.of("0001", "0002"));
            fireLast();
        }
        assertThat(silences.get()).isGreaterThan(before);
    }

    @Test
    void noneNeverSchedulesAnything() {
        RoundHedge.NONE.roundSent(Set.of("0001"));
        RoundHedge.NONE.heard("0001");
        assertThat(RoundHedge.NONE.waitMillis()).isNegative();
    }
}
