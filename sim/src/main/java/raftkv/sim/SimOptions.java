package raftkv.sim;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

import raftkv.raft.DeliberateBug;

/**
 * What {@link SimulateTool} runs.
 *
 * @param baseSeed   the first seed
 * @param seedCount  how many consecutive seeds, from {@code baseSeed}
 * @param nodes      cluster size, 3 to 7
 * @param faults     the faults to inject
 * @param opsPerSeed client operations per seed
 * @param clients    concurrent clients (0: a per-seed random number from 5 to 20)
 * @param outputDir  where a failing seed's trace and history go
 * @param bugs       deliberate safety bugs switched on in every node (tests of the harness only)
 * @param stopAtFirstFailure stop the campaign at the first failing seed
 */
public record SimOptions(long baseSeed, int seedCount, int nodes, Set<Fault> faults, int opsPerSeed,
                         int clients, Path outputDir, Set<DeliberateBug> bugs, boolean stopAtFirstFailure) {

    public SimOptions {
        if (seedCount < 1) throw new IllegalArgumentException("seed count must be >= 1, was " + seedCount);
        if (nodes < 3 || nodes > 7) throw new IllegalArgumentException("nodes must be 3 to 7, was " + nodes);
        if (opsPerSeed < 1) throw new IllegalArgumentException("operations per seed must be >= 1, was " + opsPerSeed);
        if (clients < 0 || clients > 100) throw new IllegalArgumentException("clients must be 0 (random) to 100, was " + clients);
        faults = faults.isEmpty() ? EnumSet.noneOf(Fault.class) : EnumSet.copyOf(faults);
        bugs = bugs.isEmpty() ? EnumSet.noneOf(DeliberateBug.class) : EnumSet.copyOf(bugs);
        if (outputDir == null) outputDir = Path.of("target", "sim-failures");
    }

    /** 1 seed from 1, 5 nodes, all faults, 500 operations, random client count, no bugs. */
    public static SimOptions defaults() {
        return new SimOptions(1, 1, 5, Fault.all(), 500, 0, null, Set.of(), false);
    }

    public SimOptions withSeeds(long base, int count) {
        return new SimOptions(base, count, nodes, faults, opsPerSeed, clients, outputDir, bugs, stopAtFirstFailure);
    }

    public SimOptions withNodes(int n) {
        return new SimOptions(baseSeed, seedCount, n, faults, opsPerSeed, clients, outputDir, bugs, stopAtFirstFailure);
    }

    public SimOptions withFaults(Set<Fault> f) {
        return new SimOptions(baseSeed, seedCount, nodes, f, opsPerSeed, clients, outputDir, bugs, stopAtFirstFailure);
    }

    public SimOptions withOps(int ops) {
        return new SimOptions(baseSeed, seedCount, nodes, faults, ops, clients, outputDir, bugs, stopAtFirstFailure);
    }

    public SimOptions withClients(int c) {
        return new SimOptions(baseSeed, seedCount, nodes, faults, opsPerSeed, c, outputDir, bugs, stopAtFirstFailure);
    }

    public SimOptions withOutputDir(Path dir) {
        return new SimOptions(baseSeed, seedCount, nodes, faults, opsPerSeed, clients, dir, bugs, stopAtFirstFailure);
    }

    public SimOptions withBugs(Set<DeliberateBug> b) {
        return new SimOptions(baseSeed, seedCount, nodes, faults, opsPerSeed, clients, outputDir, b, stopAtFirstFailure);
    }

    public SimOptions stoppingAtFirstFailure(boolean stop) {
        return new SimOptions(baseSeed, seedCount, nodes, faults, opsPerSeed, clients, outputDir, bugs, stop);
    }
}
