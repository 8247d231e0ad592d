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
        // The last request may wait up to its 200 ms poll past the deadline, plus the shutdown.
        assertThat(took).isBetween(3_000L, 5_000L);
    }
}
