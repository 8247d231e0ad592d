package raftkv.storage.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only checks that the tool runs, prints a row per writer count, cleans up and rejects bad input. */
class WalBenchTest {

    @TempDir
    Path dir;

    @Test
    void shortRunPrintsOneRowPerWriterCountAndLeavesNothingBehind() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int rc = WalBench.run(List.of(1, 4), 64, dir, Duration.ofMillis(100), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(rc).as(out).isZero();
        assertThat(out).contains("appends/s").contains("raw-sync/s");
        assertThat(out.lines().filter(l -> l.trim().matches("^[14] .*"))).hasSize(2);
        try (var s = Files.list(dir)) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void badArgumentsGiveAMessageAndExitCodeTwo() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(WalBench.mainExitCode(new String[] {"--writers", "x"}, o, e)).isEqualTo(2);
        assertThat(WalBench.mainExitCode(new String[] {"--bogus", "1"}, o, e)).isEqualTo(2);
        assertThat(WalBench.run(List.of(0), 10, dir, Duration.ofMillis(1), o)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option --bogus");
    }
}
