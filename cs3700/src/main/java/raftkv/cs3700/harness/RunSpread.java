package raftkv.cs3700.harness;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * After several runs of the same config and generation: how often each passed and reached each
 * tier, and the range of each figure. Under message loss one run says little (advanced-3's median
 * falls on either side of 5 ms from run to run), so claims about tiers are made from these counts.
 */
public final class RunSpread {
    private RunSpread() {}

    /** One letter per tier of {@link Grader#TIERS}, in its order. */
    private static final String LETTERS = "BFPN";

    public static void print(PrintStream out, List<Report.Row> rows) {
        Map<String, List<Report.Row>> groups = new LinkedHashMap<>();
        for (Report.Row r : rows) {
            groups.computeIfAbsent(r.config().name() + " " + r.figures().generation(), k -> new ArrayList<>()).add(r);
        }
        out.println("== Spread over runs (tiers: B Bonus, F Full credit, P Partial credit, N No credit; then min-median-max) ==");
        out.printf(Locale.ROOT, "%-14s %-3s %-7s %-24s %-18s %-18s %-28s%n",
                "test", "gen", "passed", "total_msgs", "failures", "duplicates", "median_latency (ms)");
        for (List<Report.Row> group : groups.values()) {
            Report.Row first = group.get(0);
            long passed = group.stream().filter(r -> r.verdict().passed()).count();
            out.printf(Locale.ROOT, "%-14s %-3s %-7s %-24s %-18s %-18s %-28s%n",
                    first.config().name(), first.figures().generation(), passed + "/" + group.size(),
                    cell(group, "total_msgs", 1), cell(group, "failures", 1), cell(group, "duplicates", 1),
                    cell(group, "median_latency", 1000));
        }
    }

    /** "B7 F1 (848-901-1012)": runs per tier reached, then the figure's spread (times {@code scale}). */
    static String cell(List<Report.Row> group, String figure, double scale) {
        int[] counts = new int[Grader.TIERS.size()];
        List<Double> values = new ArrayList<>();
        for (Report.Row r : group) {
            int tier = Grader.TIERS.indexOf(r.verdict().tiers().get(figure));
            if (tier >= 0) counts[tier]++;
            double v = Grader.value(r.figures(), figure);
            if (!Double.isNaN(v)) values.add(v * scale);
        }
        StringBuilder sb = new StringBuilder();
        for (int t = 0; t < counts.length; t++) {
            if (counts[t] > 0) sb.append(sb.isEmpty() ? "" : " ").append(LETTERS.charAt(t)).append(counts[t]);
        }
        if (sb.isEmpty()) sb.append("not graded");
        if (!values.isEmpty()) {
            values.sort(null);
            sb.append(" (").append(num(values.get(0))).append('-').append(num(values.get(values.size() / 2)))
                    .append('-').append(num(values.get(values.size() - 1))).append(')');
        }
        return sb.toString();
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
