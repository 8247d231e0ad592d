package raftkv.cs3700;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A star's hub handles its own part and sends each other part on along its branch, with its answer. */
class ReplicaStarTest {
    private static String hb(String to) {
        return "{\"src\":\"0001\",\"dst\":\"" + to + "\",\"leader\":\"0001\",\"type\":\"hb\",\"t\":1,\"c\":0,\"r\":0}";
    }

    @Test
    void theHubSendsEachBranchItsPartAndItsOwnAnswer() throws Exception {
        RecordingLink link = new RecordingLink();
        Replica hub = new Replica("0000", List.of("0001", "0002", "0003"), link, ReplicaTuning.DEFAULT);
        hub.start(System.currentTimeMillis());
        hub.onRaw("{\"src\":\"0001\",\"dst\":\"0000\",\"leader\":\"0001\",\"type\":\"bundle\",\"via\":[],"
                + "\"fork\":[[\"0002\",\"0001\"],[\"0003\",\"0001\"]],\"m\":[" + hb("0000") + "," + hb("0002") + ","
                + hb("0003") + "]}");

        String first = link.next("\"bundle\"");
        String second = link.next("\"bundle\"");
        for (String onward : List.of(first, second)) {
            assertThat(onward).contains("\"via\":[\"0001\"]").contains("\"type\":\"hbR\"");
        }
        assertThat(first + second).contains("\"dst\":\"0002\",\"leader\":\"0001\",\"type\":\"bundle\"")
                .contains("\"dst\":\"0003\",\"leader\":\"0001\",\"type\":\"bundle\"");
        hub.stop();
    }
}
