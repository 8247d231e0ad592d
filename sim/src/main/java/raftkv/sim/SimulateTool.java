package raftkv.sim;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulator's command line: runs seeds, prints one line per seed and a summary, and for a
 * failing seed writes its trace and history to files and says how to reproduce it.
 */
public final class SimulateTool {
    private SimulateTool() {}

    /** Returns 0 only if every history was linearizable and every invariant held; 1 otherwise. */
    public static int run(SimOptions options, PrintStream out) {
        return campaign(options, out).exitCode();
    }

    /** What a campaign found; {@code failures} are the failing seeds in order. */
    public record Campaign(int seedsRun, List<Long> failures, List<Long> seedsWithDefects, long operations,
                           long virtualMillis, long wallMillis) {
        public int exitCode() {
            return failures.isEmpty() ? 0 : 1;
        }

        /** Simulated cluster-seconds per wall-clock second. */
        public double speed() {
            return wallMillis == 0 ? 0 : (double) virtualMillis / wallMillis;
        }
    }

    public static Campaign campaign(SimOptions options, PrintStream out) {
        List<Long> failures = new ArrayList<>();
        List<Long> defects = new ArrayList<>();
        long ops = 0;
        long virtual = 0;
        long started = System.nanoTime();
        int run = 0;
        for (int i = 0; i < options.seedCount(); i++) {
            long seed = options.baseSeed() + i;
            SimResult r = SimRun.run(seed, options, false);
            run++;
            ops += r.operations();
            virtual += r.virtualMillis();
            out.println(r.summaryLine());
            if (!r.defects().isEmpty()) {
                defects.add(seed);
                r.defects().forEach(d -> out.println("  defect: " + d));
            }
            if (!r.passed()) {
                failures.add(seed);
                report(r, options, out);
                if (options.stopAtFirstFailure()) break;
            }
        }
        long wall = (System.nanoTime() - started) / 1_000_000;
        Campaign c = new Campaign(run, List.copyOf(failures), List.copyOf(defects), ops, virtual, wall);
        out.printf("%d seed(s), %d operations, %d failing%s%s; %.1f simulated s in %.1f wall s = %.1f cluster-seconds per wall-second%n",
                run, ops, failures.size(), failures.isEmpty() ? "" : " " + failures,
                defects.isEmpty() ? "" : ", node defects seen in " + defects, virtual / 1000.0, wall / 1000.0,
                c.speed());
        return c;
    }

    /** Re-runs the failing seed with the full trace on (it is deterministic) and writes the files. */
    private static void report(SimResult failed, SimOptions options, PrintStream out) {
        failed.violations().forEach(v -> out.println("  violation: " + v));
        if (failed.verdict() instanceof raftkv.checker.Verdict.NotLinearizable nl) {
            nl.explanation().lines().limit(40).forEach(l -> out.println("  " + l));
        }
        SimResult again = SimRun.run(failed.seed(), options, true);
        if (again.traceHash() != failed.traceHash()) {
            out.println("  WARNING: the re-run of seed " + failed.seed() + " did not reproduce the same trace");
        }
        try {
            Files.createDirectories(options.outputDir());
            Path trace = options.outputDir().resolve("seed-" + failed.seed() + "-trace.txt");
            Path history = options.outputDir().resolve("seed-" + failed.seed() + "-history.jsonl");
            List<String> head = new ArrayList<>();
            head.add("# " + again.summaryLine());
            again.violations().forEach(v -> head.add("# violation: " + v));
            Files.writeString(trace, String.join("\n", head) + "\n" + again.traceText());
            Files.write(history, again.historyLines());
            out.println("  seed " + failed.seed() + " failed; trace: " + trace.toAbsolutePath() + ", history: "
                    + history.toAbsolutePath());
            out.println("  reproduce: " + SimArgs.commandFor(options, failed.seed()));
        } catch (IOException e) {
            out.println("  could not write failure artifacts to " + options.outputDir() + ": " + e.getMessage());
        }
    }

    public static void main(String[] args) {
        System.exit(runArgs(args, System.out, System.err));
    }

    /** Parses command-line arguments and runs; returns the exit status (2 for bad arguments). */
    public static int runArgs(String[] args, PrintStream out, PrintStream err) {
        SimOptions options;
        try {
            options = SimArgs.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("simulate: " + e.getMessage());
            err.println(SimArgs.USAGE);
            return 2;
        }
        if (options == null) {
            out.println(SimArgs.USAGE);
            return 0;
        }
        return run(options, out);
    }
}
