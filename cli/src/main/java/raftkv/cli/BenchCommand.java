package raftkv.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import raftkv.storage.bench.WalBench;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks (numbers, not tests).",
        subcommands = BenchCommand.Wal.class)
final class BenchCommand {
    @Command(name = "wal", mixinStandardHelpOptions = true,
            description = "Write-ahead log: appends/s, fsyncs/s and append-to-durable latency, next to the raw fdatasync rate.")
    static final class Wal implements Callable<Integer> {
        @Option(names = "--writers", split = ",", defaultValue = "1,16,256", description = "concurrent writers (default: ${DEFAULT-VALUE})")
        List<Integer> writers;

        @Option(names = "--entry-bytes", defaultValue = "256", description = "bytes per entry (default: ${DEFAULT-VALUE})")
        int entryBytes;

        @Option(names = "--dir", description = "directory to test (default: a temporary one)")
        Path dir;

        @Option(names = "--seconds", defaultValue = "5", description = "seconds per measurement (default: ${DEFAULT-VALUE})")
        int seconds;

        @Override
        public Integer call() {
            if (entryBytes < 1) throw new IllegalArgumentException("--entry-bytes must be >= 1");
            if (writers.stream().anyMatch(w -> w < 1)) throw new IllegalArgumentException("--writers must be >= 1");
            return WalBench.run(writers, entryBytes, dir, Duration.ofSeconds(seconds), System.out);
        }
    }
}
