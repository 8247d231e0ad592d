package raftkv.cs3700.harness;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs course test configs against a replica program in generation A, B or both, prints each
 * run's figures and tiers like the course simulator, then a summary table.
 *
 * <pre>
 * HarnessTool [--gen A|B|both] [--seed N] [--runs N] [--start-delay S] [--clients N] [--keep] [--quiet]
 *             [--configs-dir DIR] config... [-- replica command...]
 * </pre>
 * A config is a file path, a name like {@code simple-1}, or {@code all}.
 */
public final class HarnessTool {
    private HarnessTool() {}

    /** Runs with default options; returns 0 when every run passed, 1 otherwise, 2 on bad arguments. */
    public static int run(String generation, List<String> configs, List<String> replicaCommand, PrintStream out) {
        return run(generation, configs, replicaCommand, out, HarnessOptions.defaults(), ConfigLocator.configsDir());
    }

    public static int run(String generation, List<String> configs, List<String> replicaCommand, PrintStream out,
            HarnessOptions options, Path configsDir) {
        List<Generation> generations;
        List<TestConfig> loaded = new ArrayList<>();
        try {
            generations = generation.equalsIgnoreCase("both")
                    ? List.of(Generation.A, Generation.B) : List.of(Generation.parse(generation));
            if (configs.isEmpty()) throw new IllegalArgumentException("no config given (a path, a name like simple-1, or all)");
            for (Path file : ConfigLocator.resolve(configs, configsDir)) loaded.add(TestConfig.load(file));
        } catch (IOException | IllegalArgumentException e) {
            out.println("error: " + e.getMessage());
            return 2;
        }
        List<String> command = replicaCommand == null || replicaCommand.isEmpty()
                ? ConfigLocator.defaultReplicaCommand() : replicaCommand;
        if (!Files.isExecutable(Path.of(command.get(0))) && command.get(0).contains("/")) {
            out.println("error: replica program " + command.get(0) + " does not exist or is not executable");
            return 2;
        }
        List<Report.Row> rows = new ArrayList<>();
        for (TestConfig config : loaded) {
            long firstSeed = options.seedFor(config);
            for (Generation g : generations) {
                for (int r = 0; r < options.runs(); r++) {
                    rows.add(runOne(config, g, command, options.withSeed(firstSeed + r), out));
                }
            }
        }
        boolean allPassed = rows.stream().allMatch(r -> r != null && r.verdict().passed());
        List<Report.Row> finished = rows.stream().filter(r -> r != null).toList();
        Report.printSummary(out, finished);
        if (options.runs() > 1) RunSpread.print(out, finished);
        if (finished.size() < rows.size()) out.println((rows.size() - finished.size()) + " run(s) could not be started");
        return allPassed ? 0 : 1;
    }

    /** One run, graded and printed; null when the run could not even start. */
    public static Report.Row runOne(TestConfig config, Generation generation, List<String> command,
            HarnessOptions options, PrintStream out) {
        RunFigures figures;
        try {
            figures = new Simulation(config, generation, command, options, out).run();
        } catch (IOException | RuntimeException e) {
            out.println("== " + config.name() + " (generation " + generation + ") could not run: " + e);
            return null;
        }
        Grader.Verdict verdict = Grader.grade(config, figures);
        if (verdict.passed() && !options.keepWorkDirs() && figures.workDir() != null) {
            deleteTree(Path.of(figures.workDir()));
            figures = figures.withoutWorkDir();
        }
        Report.Row row = new Report.Row(config, figures, verdict);
        Report.printRun(out, row);
        return row;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp folder is harmless
        }
    }

    public static void main(String[] args) {
        String generation = "both";
        List<String> configs = new ArrayList<>();
        List<String> command = new ArrayList<>();
        HarnessOptions options = HarnessOptions.defaults();
        Path configsDir = ConfigLocator.configsDir();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--" -> {
                        command.addAll(List.of(args).subList(i + 1, args.length));
                        i = args.length;
                    }
                    case "--gen" -> generation = value(args, ++i, a);
                    case "--seed" -> options = options.withSeed(Long.parseLong(value(args, ++i, a)));
                    case "--start-delay" -> options = options.withStartDelay(Double.parseDouble(value(args, ++i, a)));
                    case "--runs" -> options = options.withRuns(Integer.parseInt(value(args, ++i, a)));
                    case "--clients" -> options = options.withClients(Integer.parseInt(value(args, ++i, a)));
                    case "--keep" -> options = options.withKeepWorkDirs(true);
                    case "--quiet" -> options = options.withVerbose(false);
                    case "--configs-dir" -> configsDir = Path.of(value(args, ++i, a));
                    case "-h", "--help" -> {
                        System.out.println("usage: HarnessTool [--gen A|B|both] [--seed N] [--runs N] [--start-delay S] [--clients N]"
                                + " [--keep] [--quiet] [--configs-dir DIR] config... [-- replica command...]");
                        return;
                    }
                    default -> {
                        if (a.startsWith("--")) throw new IllegalArgumentException("unknown option " + a);
                        configs.add(a);
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            System.out.println("error: " + e.getMessage());
            System.exit(2);
        }
        System.exit(run(generation, configs, command, System.out, options, configsDir));
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) throw new IllegalArgumentException(option + " needs a value");
        return args[i];
    }
}
