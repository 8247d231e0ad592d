package raftkv.cs3700.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestConfigTest {
    @Test
    void idsAreFourUpperCaseHexDigitsAndClientsStartAtReplicasPlus16() throws Exception {
        TestConfig c = TestConfig.parse("x", new ObjectMapper().readTree("{\"lifetime\": 1, \"replicas\": 5, \"requests\": 1}"));
        assertThat(TestConfig.replicaId(10)).isEqualTo("000A");
        assertThat(c.clientId(0)).isEqualTo("0015");
        assertThat(c.clientId(11)).isEqualTo("0020");
        assertThat(c.drops()).isZero();
        assertThat(c.endWait()).isZero();
        assertThat(c.seed()).isEmpty();
    }

    @Test
    void badConfigsGiveClearErrors() {
        ObjectMapper json = new ObjectMapper();
        assertThatThrownBy(() -> TestConfig.parse("x", json.readTree("{\"replicas\": 5, \"requests\": 1}")))
                .hasMessageContaining("lifetime");
        assertThatThrownBy(() -> TestConfig.parse("x", json.readTree(
                "{\"lifetime\": 1, \"replicas\": 5, \"requests\": 1, \"events\": [{\"type\": \"boom\", \"time\": 1}]}")))
                .hasMessageContaining("boom");
    }

    @Test
    void everyOfficialConfigLoadsAndResolvesByName() throws Exception {
        Path dir = ConfigLocator.configsDir();
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(dir) || "true".equals(System.getenv("CI")),
                "official configs not present at " + dir);
        List<Path> all = ConfigLocator.resolve(List.of("all"), dir);
        assertThat(all).hasSize(17);
        for (Path p : all) {
            TestConfig c = TestConfig.load(p);
            assertThat(c.replicas()).isEqualTo(5);
            assertThat(c.benchmarks()).containsKeys(Grader.FIGURES.toArray(String[]::new));
        }
        TestConfig advanced2 = TestConfig.load(ConfigLocator.resolve(List.of("advanced-2"), dir).get(0));
        assertThat(advanced2.endWait()).isEqualTo(5.0);
        assertThat(advanced2.events()).extracting(TestConfig.Event::type).containsExactly("kill_leader", "kill_leader");
        assertThat(advanced2.maxGetGenerationFailFraction()).hasValue(0.2);
        assertThatThrownBy(() -> ConfigLocator.resolve(List.of("no-such-test"), dir)).hasMessageContaining("no-such-test");
    }

    @Test
    void harnessToolRejectsBadArgumentsWithoutRunningAnything(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.PrintStream out = new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8);
        // A config of our own, so that the replica's path is checked whether or not the official
        // configs are next to the checkout.
        Path config = Files.writeString(tmp.resolve("tiny.json"), "{\"lifetime\": 1, \"replicas\": 3, \"requests\": 1}");
        assertThat(HarnessTool.run("C", List.of("simple-1"), List.of("/bin/true"), out)).isEqualTo(2);
        assertThat(HarnessTool.run("A", List.of("nope-9"), List.of("/bin/true"), out)).isEqualTo(2);
        assertThat(HarnessTool.run("A", List.of(config.toString()), List.of("/no/such/replica"), out)).isEqualTo(2);
        assertThat(bytes.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("unknown generation", "no config 'nope-9'", "/no/such/replica");
    }
}
