package raftkv.cs3700.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunSpreadTest {
    private static TestConfig config() throws Exception {
        return TestConfig.parse("lossy-1", new ObjectMapper().readTree("""
                {"lifetime": 30, "replicas": 5, "requests": 100, "mix": 0.2,
                 "tests": {"benchmarks": {"total_msgs": [1000, 3000, 4000], "failures": [1, 10, 100],
                                          "duplicates": [0, 6, 20], "median_latency": [0.0002, 0.005, 0.1]}}}"""));
    }

    private static Report.Row row(TestConfig c, Generation g, long msgs, int unanswered, double latency) {
        RunFigures f = new RunFigures(c.name(), g, 1, List.of(), msgs, 0, 20, 80, 0, 0, 0, unanswered, 0, List.of(),
                latency, true, 0, 20, false, null);
        return new Report.Row(c, f, Grader.grade(c, f));
    }

    @Test
    void aCellCountsTheRunsPerTierAndGivesTheSpread() throws Exception {
        TestConfig c = config();
        List<Report.Row> runs = List.of(row(c, Generation.A, 950, 0, 0.0041), row(c, Generation.A, 1012, 2, 0.0052),
                row(c, Generation.A, 901, 0, 0.0049));
        assertThat(RunSpread.cell(runs, "total_msgs", 1)).isEqualTo("B2 F1 (901-950-1012)");
        assertThat(RunSpread.cell(runs, "failures", 1)).isEqualTo("B2 F1 (0-0-2)");
        assertThat(RunSpread.cell(runs, "median_latency", 1000)).isEqualTo("F2 P1 (4.1-4.9-5.2)");
    }

    @Test
    void oneLinePerConfigAndGeneration() throws Exception {
        TestConfig c = config();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RunSpread.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), List.of(row(c, Generation.A, 950, 0, 0.004),
                row(c, Generation.B, 990, 0, 0.004), row(c, Generation.A, 1020, 0, 0.004)));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(2)).startsWith("lossy-1").contains(" A ").contains("2/2").contains("B1 F1 (950-1020-1020)");
        assertThat(lines.get(3)).contains(" B ").contains("1/1").contains("B1 (990-990-990)");
    }
}
