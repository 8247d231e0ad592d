package raftkv.sim;

import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * A seed's network weather: loss and duplication rates and a delay distribution. Reordering falls
 * out of the random delays.
 */
record NetworkModel(double dropRate, double duplicateRate, int minDelay, int maxDelay, double tailRate, int tailMax) {

    /** Drawn from {@code rng} for the enabled faults; without DELAY every message takes 1 ms. */
    static NetworkModel draw(RandomGenerator rng, Set<Fault> faults) {
        double drop = faults.contains(Fault.DROPS) ? rng.nextDouble(0.0, 0.10) : 0;
        double dup = faults.contains(Fault.DUPLICATES) ? rng.nextDouble(0.0, 0.05) : 0;
        if (!faults.contains(Fault.DELAY)) return new NetworkModel(drop, dup, 1, 1, 0, 1);
        return new NetworkModel(drop, dup, 1, 20, rng.nextDouble(0.0, 0.05), 150);
    }

    long delay(RandomGenerator rng) {
        if (tailRate > 0 && rng.nextDouble() < tailRate) return rng.nextInt(maxDelay, tailMax + 1);
        return minDelay == maxDelay ? minDelay : rng.nextInt(minDelay, maxDelay + 1);
    }
}
