package raftkv.cs3700.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the harness against {@link FixtureReplica} processes (separate JVMs) on a short config.
 * Each run costs about start delay + lifetime + end_wait seconds of wall time.
 */
class EndToEndTest {
    private static final String CONFIG = """
            {"lifetime": 2, "replicas": 3, "requests": 30, "mix": 0.5, "end_wait": 0.5, "seed": 11,
             "tests": {"benchmarks": {"total_msgs": [10, 1000, 2000], "failures": [0, 1, 2],
                                      "duplicates": [0, 1, 2], "median_latency": [0.0001, 0.05, 0.5]}}}""";

    private static TestConfig config() throws Exception {
        return TestConfig.parse("fixture", new ObjectMapper().readTree(CONFIG));
    }

    private static List<String> fixture(String mode) {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-cp", classpath, FixtureReplica.class.getName(), mode));
        return command;
    }

    private static Report.Row run(Generation generation, String mode, StringBuilder printed) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        HarnessOptions options = HarnessOptions.defaults().withStartDelay(2.5);
        Report.Row row;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            row = HarnessTool.runOne(config(), generation, fixture(mode), options, out);
        }
        printed.append(bytes.toString(StandardCharsets.UTF_8));
        System.out.print(printed);
        assertThat(row).as("the run started").isNotNull();
        deleteKeptWorkDir(row);
        return row;
    }

    /** Failed runs keep their working directory for debugging; tests clean up after themselves. */
    private static void deleteKeptWorkDir(Report.Row row) throws java.io.IOException {
        if (row.figures().workDir() == null) return;
        try (java.util.stream.Stream<java.nio.file.Path> walk = java.nio.file.Files.walk(java.nio.file.Path.of(row.figures().workDir()))) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void aWellBehavedClusterPassesInGenerationA() throws Exception {
        StringBuilder printed = new StringBuilder();
        Report.Row row = run(Generation.A, "good", printed);
        RunFigures f = row.figures();
        assertThat(f.died()).isEmpty();
        assertThat(f.incorrect()).isEmpty();
        assertThat(f.duplicates()).isZero();
        assertThat(f.gets() + f.puts()).isEqualTo(30);
        assertThat(f.redirects()).isPositive();
        assertThat(f.totalMsgs()).isGreaterThanOrEqualTo(23);
        assertThat(row.verdict().passed()).as(printed.toString()).isTrue();
        assertThat(printed).contains("# Total messages between replicas:", "PASS");
    }

    @Test
    void aWellBehavedClusterPassesInGenerationB() throws Exception {
        StringBuilder printed = new StringBuilder();
        Report.Row row = run(Generation.B, "good", printed);
        assertThat(row.figures().died()).isEmpty();
        assertThat(row.figures().incorrect()).isEmpty();
        assertThat(row.verdict().passed()).as(printed.toString()).isTrue();
    }

    @Test
    void aReplicaAnsweringTwiceIsCountedAsDuplicate() throws Exception {
        Report.Row row = run(Generation.B, "dup", new StringBuilder());
        assertThat(row.figures().duplicates()).isPositive();
        assertThat(row.figures().incorrect()).isEmpty();
    }

    @Test
    void aWrongGetValueIsIncorrectAndFails() throws Exception {
        Report.Row row = run(Generation.A, "wrong", new StringBuilder());
        assertThat(row.figures().incorrect()).isNotEmpty().allMatch(s -> s.contains("returned"));
        assertThat(row.verdict().passed()).isFalse();
    }

    @Test
    void aReplicaThatNeverConnectsButIsSentAMessageIsDead() throws Exception {
        Report.Row row = run(Generation.B, "silent=0001", new StringBuilder());
        assertThat(row.figures().died()).anyMatch(d -> d.startsWith("0001"));
        assertThat(row.verdict().passed()).isFalse();
        assertThat(row.verdict().reasons()).anyMatch(r -> r.contains("died"));
    }
}
