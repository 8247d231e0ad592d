package raftkv.checker;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Command-line entry: checks history files and prints one verdict per file with the time taken.
 * Exit status: 0 all linearizable, 1 any not linearizable, 2 otherwise (unknown or unreadable).
 */
public final class CheckTool {

    private CheckTool() {}

    /**
     * @param files  history files, or directories to search for them
     * @param model  "kv", "register", or null to use the model the file's format implies
     * @param budget time allowed per history
     */
    public static int run(List<Path> files, String model, Duration budget, PrintStream out) {
        return run(files, model, budget, LinearizabilityChecker.DEFAULT_EXPLAIN_BUDGET, out);
    }

    /** As {@link #run(List, String, Duration, PrintStream)}; {@code explainBudget} ZERO prints no explanations. */
    public static int run(List<Path> files, String model, Duration budget, Duration explainBudget, PrintStream out) {
        if (model != null && !model.equals("kv") && !model.equals("register")) {
            out.println("error: unknown model '" + model + "' (expected kv or register)");
            return 2;
        }
        List<Path> expanded;
        try {
            expanded = HistoryFiles.expand(files);
        } catch (UncheckedIOException e) {
            out.println("error: " + e.getCause().getMessage());
            return 2;
        }
        if (expanded.isEmpty()) {
            out.println("error: no history files given");
            return 2;
        }
        int linearizable = 0, violations = 0, unknown = 0;
        long totalStart = System.nanoTime();
        for (Path file : expanded) {
            long start = System.nanoTime();
            Verdict verdict;
            try {
                ParsedHistory parsed = HistoryFiles.read(file);
                Model m = model == null ? parsed.model() : Model.named(model, parsed.model().initialValue());
                verdict = LinearizabilityChecker.check(parsed.history(), m, budget, explainBudget);
            } catch (HistoryParseException e) {
                verdict = new Verdict.Unknown("unreadable: " + e.getMessage());
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            switch (verdict) {
                case Verdict.Linearizable l -> {
                    linearizable++;
                    out.printf("%s: linearizable (%d ms)%n", file, millis);
                }
                case Verdict.NotLinearizable n -> {
                    violations++;
                    out.printf("%s: NOT linearizable (%d ms)%n", file, millis);
                    n.explanation().lines().forEach(l -> out.println("    " + l));
                }
                case Verdict.Unknown u -> {
                    unknown++;
                    out.printf("%s: unknown (%d ms): %s%n", file, millis, u.reason());
                }
            }
        }
        out.printf("%d files: %d linearizable, %d NOT linearizable, %d unknown; %d ms total%n",
                expanded.size(), linearizable, violations, unknown, (System.nanoTime() - totalStart) / 1_000_000);
        return violations > 0 ? 1 : unknown > 0 ? 2 : 0;
    }

    /** {@code java -cp ... raftkv.checker.CheckTool [--model kv|register] [--budget-ms N] [--explain-ms N] FILE|DIR...} */
    public static void main(String[] args) {
        String model = null;
        Duration budget = Duration.ofSeconds(10);
        Duration explainBudget = LinearizabilityChecker.DEFAULT_EXPLAIN_BUDGET;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            try {
                switch (a) {
                    case "--model" -> model = args[++i];
                    case "--budget-ms" -> budget = Duration.ofMillis(Long.parseLong(args[++i]));
                    case "--explain-ms" -> explainBudget = Duration.ofMillis(Long.parseLong(args[++i]));
                    case "-h", "--help" -> {
                        System.out.println("usage: CheckTool [--model kv|register] [--budget-ms N] [--explain-ms N] FILE|DIR...");
                        System.exit(0);
                    }
                    default -> files.add(Path.of(a));
                }
            } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
                System.err.println("error: bad or missing value for " + a);
                System.exit(2);
            }
        }
        System.exit(run(files, model, budget, explainBudget, System.out));
    }
}
