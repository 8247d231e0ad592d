package raftkv.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The correct system survives every fault the simulator has: 200 seeds, 3 and 5 nodes, zero violations. */
class CampaignTest {
    @TempDir
    Path out;

    @Test
    void threeNodesAllFaults() {
        assertCampaignPasses(SimOptions.defaults().withNodes(3).withSeeds(1, 100).withOps(300));
    }

    @Test
    void fiveNodesAllFaults() {
        assertCampaignPasses(SimOptions.defaults().withNodes(5).withSeeds(10_001, 100).withOps(300));
    }

    private void assertCampaignPasses(SimOptions options) {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        SimulateTool.Campaign c = SimulateTool.campaign(options.withOutputDir(out), new PrintStream(text, true, StandardCharsets.UTF_8));
        String log = text.toString(StandardCharsets.UTF_8);
        assertThat(c.seedsRun()).isEqualTo(options.seedCount());
        assertThat(c.failures()).as(log).isEmpty();
        assertThat(c.operations()).isEqualTo((long) options.seedCount() * options.opsPerSeed());
    }
}
