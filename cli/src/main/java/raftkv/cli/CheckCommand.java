package raftkv.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import raftkv.checker.CheckTool;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Checks recorded histories for linearizability.",
                "Exit status: 0 all linearizable, 1 some not, 2 some unknown (budget ran out)."})
final class CheckCommand implements Callable<Integer> {
    @Option(names = "--model", description = "kv or register (default: from the file's format)")
    String model;

    @Option(names = "--budget", defaultValue = "30", description = "seconds allowed per history (default: ${DEFAULT-VALUE})")
    long budgetSeconds;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "history files: raftkv JSON lines, Jepsen etcd logs, Porcupine kv logs")
    List<Path> files;

    @Override
    public Integer call() {
        if (model != null && !model.equals("kv") && !model.equals("register")) {
            throw new IllegalArgumentException("--model must be kv or register, not '" + model + "'");
        }
        return CheckTool.run(files, model, Duration.ofSeconds(budgetSeconds), System.out);
    }
}
