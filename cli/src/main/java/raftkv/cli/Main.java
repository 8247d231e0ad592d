package raftkv.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code raftkv} command: one entry point for every tool. */
@Command(name = "raftkv", mixinStandardHelpOptions = true, version = "raftkv 0.1.0",
        description = "A replicated, linearizable key-value database on Raft.",
        subcommands = {SimulateCommand.class, CheckCommand.class, Cs3700Command.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("raftkv: " + e.getMessage());
            return 2;
        });
        return cli.execute(args);
    }
}
