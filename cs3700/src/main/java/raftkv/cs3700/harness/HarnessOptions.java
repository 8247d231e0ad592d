package raftkv.cs3700.harness;

import java.util.OptionalLong;

/**
 * Knobs of a harness run.
 *
 * @param startDelaySeconds seconds between launching the replicas and the first client request
 *                          (the course simulators use 5; tests with a tiny replica may use less)
 * @param seed              overrides the config's seed when present
 * @param clients           emulated clients; 0 means one per replica
 * @param keepWorkDirs      keep every run's working directory (failed runs always keep theirs)
 * @param verbose           print the run log (kills, partitions, deaths, malformed input) as it happens
 * @param runs              runs per config and generation; run r uses seed + r (the tiers of a lossy
 *                          config vary from run to run: several runs show how often each is reached)
 */
public record HarnessOptions(double startDelaySeconds, OptionalLong seed, int clients, boolean keepWorkDirs, boolean verbose,
                             int runs) {
    /** When neither the config nor the caller gives a seed. */
    public static final long DEFAULT_SEED = 3700;

    public HarnessOptions {
        if (startDelaySeconds < 0) throw new IllegalArgumentException("start delay must be >= 0");
        if (clients < 0) throw new IllegalArgumentException("clients must be >= 0");
        if (runs < 1) throw new IllegalArgumentException("runs must be at least 1, not " + runs);
    }

    /** The seed a run of {@code config} uses: ours when given, else the config's, else {@link #DEFAULT_SEED}. */
    public long seedFor(TestConfig config) {
        return seed.orElse(config.seed().orElse(DEFAULT_SEED));
    }

    public static HarnessOptions defaults() {
        return new HarnessOptions(5.0, OptionalLong.empty(), 0, false, true, 1);
    }

    public HarnessOptions withStartDelay(double seconds) {
        return new HarnessOptions(seconds, seed, clients, keepWorkDirs, verbose, runs);
    }

    public HarnessOptions withSeed(long value) {
        return new HarnessOptions(startDelaySeconds, OptionalLong.of(value), clients, keepWorkDirs, verbose, runs);
    }

    public HarnessOptions withVerbose(boolean value) {
        return new HarnessOptions(startDelaySeconds, seed, clients, keepWorkDirs, value, runs);
    }

    public HarnessOptions withClients(int value) {
        return new HarnessOptions(startDelaySeconds, seed, value, keepWorkDirs, verbose, runs);
    }

    public HarnessOptions withRuns(int value) {
        return new HarnessOptions(startDelaySeconds, seed, clients, keepWorkDirs, verbose, value);
    }

    public HarnessOptions withKeepWorkDirs(boolean value) {
        return new HarnessOptions(startDelaySeconds, seed, clients, value, verbose, runs);
    }
}
