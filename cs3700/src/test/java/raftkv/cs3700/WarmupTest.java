package raftkv.cs3700;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The JIT warm-up's private cluster really serves requests, and stops when its time is up. */
class WarmupTest {
    @Test
    void thePrivateClusterServesRequestsAndStopsAtTheDeadline() {
        long start = System.currentTimeMillis();
        int answered = Warmup.runUntil(start + 3_000);
        long took = System.currentTimeMillis() - start;
        assertThat(answered).as("requests answered ok by the private cluster").isPositive();
        // It runs until the deadline, then stops: the last request waits at most its 200 ms poll
        // past it (the generous bound is for a busy machine, not a performance figure).
        assertThat(took).isBetween(3_000L, 15_000L);
    }
}
