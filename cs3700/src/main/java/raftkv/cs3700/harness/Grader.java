package raftkv.cs3700.harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The course simulator's pass rules and performance tiers, as PROTOCOL.md states them. */
public final class Grader {
    /** The four graded figures, in print order. */
    public static final List<String> FIGURES = List.of("total_msgs", "failures", "duplicates", "median_latency");
    /** The tiers, best first: below a config's a, below b, below c, else. */
    public static final List<String> TIERS = List.of("Bonus", "Full credit", "Partial credit", "No credit");

    /** The outcome of one run: pass or fail with reasons, and a tier per graded figure. */
    public record Verdict(boolean passed, List<String> reasons, Map<String, String> tiers) {
        public Verdict {
            reasons = List.copyOf(reasons);
            tiers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tiers));
        }
    }

    private Grader() {}

    public static Verdict grade(TestConfig config, RunFigures f) {
        List<String> reasons = new ArrayList<>();
        if (!f.incorrect().isEmpty()) reasons.add(f.incorrect().size() + " incorrect response(s)");
        if (!f.died().isEmpty()) reasons.add(f.died().size() + " replica(s) died");
        if (!f.keyStored()) reasons.add("no key was ever stored");
        if (f.unansweredGets() * 2 > f.gets()) reasons.add("more than half the gets unanswered (" + f.unansweredGets() + "/" + f.gets() + ")");
        if (f.unansweredPuts() * 2 > f.puts()) reasons.add("more than half the puts unanswered (" + f.unansweredPuts() + "/" + f.puts() + ")");
        if (f.totalMsgs() < config.messageFloor()) {
            reasons.add(String.format("too few messages between replicas (%d < floor %.1f)", f.totalMsgs(), config.messageFloor()));
        }
        if (config.maxGetGenerationFailFraction().isPresent() && f.getGenerationAttempts() > 0) {
            double fraction = (double) f.getGenerationFails() / f.getGenerationAttempts();
            double limit = config.maxGetGenerationFailFraction().getAsDouble();
            if (fraction > limit) reasons.add(String.format("get generation failed for %.2f of gets (limit %.2f)", fraction, limit));
        }
        Map<String, String> tiers = new LinkedHashMap<>();
        for (String figure : FIGURES) {
            double[] triple = config.benchmarks().get(figure);
            tiers.put(figure, triple == null ? "not graded" : tier(value(f, figure), triple));
        }
        return new Verdict(reasons.isEmpty(), reasons, tiers);
    }

    /** Below a: Bonus; below b: Full credit; below c: Partial credit; else No credit (NaN: No credit). */
    public static String tier(double value, double[] abc) {
        if (!Double.isNaN(value)) {
            for (int i = 0; i < abc.length; i++) if (value < abc[i]) return TIERS.get(i);
        }
        return TIERS.getLast();
    }

    public static double value(RunFigures f, String figure) {
        return switch (figure) {
            case "total_msgs" -> f.totalMsgs();
            case "failures" -> f.failures();
            case "duplicates" -> f.duplicates();
            case "median_latency" -> f.medianLatency();
            default -> throw new IllegalArgumentException("unknown figure " + figure);
        };
    }
}
