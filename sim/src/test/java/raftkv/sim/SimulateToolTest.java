package raftkv.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import raftkv.checker.HistoryFiles;
import raftkv.raft.DeliberateBug;

class SimulateToolTest {
    @TempDir
    Path out;

    @Test
    void passingSeedsReturnZeroAndPrintALineEach() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        int code = SimulateTool.run(SimOptions.defaults().withNodes(3).withOps(60).withSeeds(5, 3).withOutputDir(out),
                new PrintStream(text, true, StandardCharsets.UTF_8));
        String log = text.toString(StandardCharsets.UTF_8);
        assertThat(code).isZero();
        assertThat(log.lines().filter(l -> l.startsWith("seed "))).hasSize(3);
        assertThat(log).contains("seed 5:", "seed 6:", "seed 7:", "3 seed(s), 180 operations, 0 failing");
    }

    @Test
    void aFailingSeedReturnsOneAndLeavesAHistoryTheCheckerRejectsToo() throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        SimOptions options = SimOptions.defaults().withNodes(3).withOps(200).withSeeds(1, 1)
                .withBugs(EnumSet.of(DeliberateBug.ACK_BEFORE_COMMIT)).withOutputDir(out);
        int code = SimulateTool.run(options, new PrintStream(text, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(1);
        Path history = out.resolve("seed-1-history.jsonl");
        assertThat(Files.readAllLines(history)).hasSize(200);
        var parsed = HistoryFiles.read(history);
        var verdict = raftkv.checker.LinearizabilityChecker.check(parsed.history(), parsed.model(),
                java.time.Duration.ofSeconds(20));
        assertThat(verdict.isLinearizable()).isFalse();
    }
}
