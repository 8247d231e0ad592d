package raftkv.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A seed is a complete description of a run. */
class DeterminismTest {
    private final SimOptions options = options(5);

    static SimOptions options(int nodes) {
        return SimOptions.defaults().withNodes(nodes).withOps(200);
    }

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

    /**
     * A fresh JVM gives the same trace too. This caught a real leak: the core iterates peers in
     * {@code Set.copyOf} order, which the JDK salts per process.
     */
    @Test
    void aFreshJvmGivesTheSameTrace() throws Exception {
        for (int nodes : new int[] {3, 5, 7}) {
            String javaBin = ProcessHandle.current().info().command().orElse("java");
            Process p = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                    TraceHashMain.class.getName(), "77", Integer.toString(nodes)).redirectErrorStream(true).start();
            String printed = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            assertThat(p.waitFor()).as(printed).isZero();
            assertThat(printed).isEqualTo(Long.toHexString(SimRun.run(77, options(nodes), false).traceHash()));
        }
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
