package raftkv.cs3700.harness;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** Prints one run's figures and tiers the way the course simulator does, and a summary table. */
public final class Report {
    private Report() {}

    /** One line of the summary table. */
    public record Row(TestConfig config, RunFigures figures, Grader.Verdict verdict) {}

    public static void printRun(PrintStream out, Row row) {
        RunFigures f = row.figures();
        TestConfig c = row.config();
        out.printf(Locale.ROOT, "== %s (generation %s, seed %d) ==%n", c.name(), f.generation(), f.seed());
        if (f.packetStorm()) out.println("Packet storm: more than " + Simulation.MAX_PACKETS + " messages, run stopped early");
        out.printf(Locale.ROOT, "# Replicas that died: %d%n", f.died().size());
        f.died().forEach(d -> out.println("    " + d));
        out.printf(Locale.ROOT, "# Total messages between replicas: %d%n", f.totalMsgs());
        out.printf(Locale.ROOT, "# Total messages dropped: %d%n", f.dropped());
        out.printf(Locale.ROOT, "# Total client get()/put() requests: %d/%d%n", f.gets(), f.puts());
        out.printf(Locale.ROOT, "# Total duplicate responses: %d%n", f.duplicates());
        out.printf(Locale.ROOT, "# Total failed/unanswered requests: %d/%d%n", f.failReplies(), f.unanswered());
        out.printf(Locale.ROOT, "# Total redirects: %d%n", f.redirects());
        out.printf(Locale.ROOT, "# Total incorrect responses: %d%n", f.incorrect().size());
        f.incorrect().stream().limit(10).forEach(d -> out.println("    " + d));
        if (f.incorrect().size() > 10) out.println("    ... " + (f.incorrect().size() - 10) + " more");
        out.printf(Locale.ROOT, "# Median response latency: %s%n", latency(f.medianLatency()));
        if (f.getGenerationAttempts() > 0) {
            out.printf(Locale.ROOT, "# Get generation failures: %d of %d%s%n", f.getGenerationFails(), f.getGenerationAttempts(),
                    c.maxGetGenerationFailFraction().isPresent()
                            ? String.format(Locale.ROOT, " (limit %.2f)", c.maxGetGenerationFailFraction().getAsDouble()) : "");
        }
        for (String figure : Grader.FIGURES) {
            double[] t = c.benchmarks().get(figure);
            String bounds = t == null ? "" : String.format(Locale.ROOT, " [%s, %s, %s]", num(t[0]), num(t[1]), num(t[2]));
            out.printf(Locale.ROOT, "%-15s %-12s %s%s%n", figure + ":", num(Grader.value(f, figure)),
                    row.verdict().tiers().get(figure), bounds);
        }
        if (row.verdict().passed()) {
            out.println("PASS");
        } else {
            out.println("FAIL: " + String.join("; ", row.verdict().reasons()));
        }
        if (f.workDir() != null) out.println("(replica logs kept in " + f.workDir() + ")");
        out.println();
    }

    public static void printSummary(PrintStream out, List<Row> rows) {
        out.println("== Summary ==");
        out.printf(Locale.ROOT, "%-14s %-3s %-6s %8s %6s %5s %9s  %-14s %-14s %-14s %-14s%n",
                "test", "gen", "result", "msgs", "fails", "dups", "latency",
                "total_msgs", "failures", "duplicates", "median_latency");
        int passed = 0;
        for (Row r : rows) {
            RunFigures f = r.figures();
            if (r.verdict().passed()) passed++;
            out.printf(Locale.ROOT, "%-14s %-3s %-6s %8d %6d %5d %9s  %-14s %-14s %-14s %-14s%n",
                    r.config().name(), f.generation(), r.verdict().passed() ? "PASS" : "FAIL",
                    f.totalMsgs(), f.failures(), f.duplicates(), latency(f.medianLatency()),
                    r.verdict().tiers().get("total_msgs"), r.verdict().tiers().get("failures"),
                    r.verdict().tiers().get("duplicates"), r.verdict().tiers().get("median_latency"));
        }
        out.printf(Locale.ROOT, "%d of %d passed%n", passed, rows.size());
    }

    private static String latency(double seconds) {
        return Double.isNaN(seconds) ? "n/a" : String.format(Locale.ROOT, "%.6f", seconds);
    }

    private static String num(double v) {
        if (Double.isNaN(v)) return "n/a";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return String.format(Locale.ROOT, "%.6f", v);
    }
}
