package raftkv.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A seed is a complete description of a run. */
class DeterminismTest {
    private final SimOptions options = SimOptions.defaults().withNodes(5).withOps(200);

    @Test
    void sameSeedGivesTheSameTraceAndHistory() {
        SimResult a = SimRun.run(77, options, false);
        SimResult b = SimRun.run(77, options, true);
        assertThat(a.traceEvents()).isGreaterThan(1_000);
        assertThat(b.traceHash()).isEqualTo(a.traceHash());
        assertThat(b.traceEvents()).isEqualTo(a.traceEvents());
        assertThat(b.historyLines()).isEqualTo(a.historyLines());
        assertThat(b.traceText().lines().count()).isEqualTo(a.traceEvents());
    }

    @Test
    void anotherSeedGivesAnotherTrace() {
        assertThat(SimRun.run(78, options, false).traceHash()).isNotEqualTo(SimRun.run(77, options, false).traceHash());
    }

    @Test
    void faultsAreActuallyInjected() {
        SimResult r = SimRun.run(77, options, false);
        assertThat(r.faults()).isPositive();
        assertThat(r.dropped()).isPositive();
        assertThat(r.elections()).isGreaterThan(1);
        assertThat(r.passed()).isTrue();
    }
}
