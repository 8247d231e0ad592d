package raftkv.cs3700.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraderTest {
    private static TestConfig config(String extra) throws Exception {
        return TestConfig.parse("t", new ObjectMapper().readTree("""
                {"lifetime": 30, "replicas": 5, "requests": 100, "mix": 0.2 %s,
                 "tests": {"benchmarks": {"total_msgs": [100, 300, 400], "failures": [0, 1, 2],
                                          "duplicates": [0, 2, 5], "median_latency": [0.001, 0.005, 0.05]}}}"""
                .formatted(extra)));
    }

    private static RunFigures figures(long msgs, int gets, int puts, int unansweredGets, int unansweredPuts,
            List<String> died, List<String> incorrect, boolean stored) {
        return new RunFigures("t", Generation.A, 1, died, msgs, 0, gets, puts, 0, 0, unansweredGets, unansweredPuts,
                0, incorrect, 0.002, stored, 0, gets, false, null);
    }

    @Test
    void tiersAreStrictlyBelowEachBound() {
        double[] abc = {1, 10, 100};
        assertThat(Grader.tier(0, abc)).isEqualTo("Bonus");
        assertThat(Grader.tier(1, abc)).isEqualTo("Full credit");
        assertThat(Grader.tier(10, abc)).isEqualTo("Partial credit");
        assertThat(Grader.tier(100, abc)).isEqualTo("No credit");
        assertThat(Grader.tier(Double.NaN, abc)).isEqualTo("No credit");
    }

    @Test
    void aCleanRunAboveTheFloorPasses() throws Exception {
        TestConfig c = config("");
        assertThat(c.messageFloor()).isEqualTo(200.0); // 100 * 5 * 0.8 * 0.5
        Grader.Verdict v = Grader.grade(c, figures(200, 20, 80, 0, 0, List.of(), List.of(), true));
        assertThat(v.passed()).isTrue();
        assertThat(v.tiers()).containsEntry("total_msgs", "Full credit").containsEntry("failures", "Full credit")
                .containsEntry("duplicates", "Full credit").containsEntry("median_latency", "Full credit");
    }

    @Test
    void everyPassRuleCanFailTheRun() throws Exception {
        TestConfig c = config("");
        assertThat(Grader.grade(c, figures(199, 20, 80, 0, 0, List.of(), List.of(), true)).reasons())
                .singleElement().asString().contains("too few messages");
        assertThat(Grader.grade(c, figures(500, 20, 80, 0, 0, List.of("0001: x"), List.of(), true)).reasons())
                .singleElement().asString().contains("died");
        assertThat(Grader.grade(c, figures(500, 20, 80, 0, 0, List.of(), List.of("bad"), true)).reasons())
                .singleElement().asString().contains("incorrect");
        assertThat(Grader.grade(c, figures(500, 20, 80, 0, 0, List.of(), List.of(), false)).reasons())
                .singleElement().asString().contains("no key");
        assertThat(Grader.grade(c, figures(500, 20, 80, 11, 0, List.of(), List.of(), true)).reasons())
                .singleElement().asString().contains("gets unanswered");
        assertThat(Grader.grade(c, figures(500, 20, 80, 10, 40, List.of(), List.of(), true)).passed()).isTrue();
        assertThat(Grader.grade(c, figures(500, 20, 80, 0, 41, List.of(), List.of(), true)).reasons())
                .singleElement().asString().contains("puts unanswered");
    }

    @Test
    void theGetGenerationLimitAppliesOnlyWhenConfigured() throws Exception {
        RunFigures many = new RunFigures("t", Generation.B, 1, List.of(), 500, 0, 20, 80, 0, 0, 0, 0, 0, List.of(),
                0.002, true, 10, 30, false, null);
        assertThat(Grader.grade(config(""), many).passed()).isTrue();
        assertThat(Grader.grade(config(", \"maximum_get_generation_fail_fraction\": 0.2"), many).reasons())
                .singleElement().asString().contains("get generation");
    }

    @Test
    void failuresAreFailRepliesPlusUnanswered() {
        RunFigures f = new RunFigures("t", Generation.A, 1, List.of(), 0, 0, 10, 10, 0, 3, 1, 2, 0, List.of(),
                Double.NaN, true, 0, 0, false, null);
        assertThat(f.failures()).isEqualTo(6);
        assertThat(Grader.value(f, "failures")).isEqualTo(6.0);
    }
}
