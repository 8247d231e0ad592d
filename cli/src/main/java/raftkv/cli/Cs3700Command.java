package raftkv.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import raftkv.cs3700.harness.ConfigLocator;
import raftkv.cs3700.harness.HarnessOptions;
import raftkv.cs3700.harness.HarnessTool;

@Command(name = "cs3700", mixinStandardHelpOptions = true,
        description = {"Runs ./3700kvstore under our emulation of the CS3700 course simulator.",
                "CONFIG is a path, a name such as simple-1 (from ../shared/cs3700/configs), or 'all'."})
final class Cs3700Command implements Callable<Integer> {
    @Option(names = "--generation", defaultValue = "both", description = "A (UDP), B (unix socket) or both (default)")
    String generation;

    @Option(names = "--replica", description = "replica program (default: the repo's ./3700kvstore)")
    Path replica;

    @Option(names = "--seed", description = "seed for the request plan, drops and partitions (default: the config's, else 3700)")
    Long seed;

    @Option(names = "--runs", defaultValue = "1",
            description = {"runs per config and generation, with seeds SEED, SEED+1, ... (default 1);",
                    "more than one adds a table of how often each tier was reached"})
    int runs;

    @Option(names = "--keep", description = "keep every run's working folder and replica logs (failed runs' are always kept)")
    boolean keep;

    @Parameters(arity = "1..*", paramLabel = "CONFIG")
    List<String> configs;

    @Override
    public Integer call() {
        String g = generation.toUpperCase();
        if (!List.of("A", "B", "BOTH").contains(g)) {
            throw new IllegalArgumentException("--generation must be A, B or both, not '" + generation + "'");
        }
        Path program = replica != null ? replica : RepoRoot.find().resolve("3700kvstore");
        if (!Files.isExecutable(program)) throw new IllegalArgumentException("not an executable replica: " + program);
        HarnessOptions options = HarnessOptions.defaults().withKeepWorkDirs(keep).withRuns(runs);
        if (seed != null) options = options.withSeed(seed);
        return HarnessTool.run(g.equals("BOTH") ? "both" : g, configs, List.of(program.toAbsolutePath().toString()),
                System.out, options, ConfigLocator.configsDir());
    }
}
