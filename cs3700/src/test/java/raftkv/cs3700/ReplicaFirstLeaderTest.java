package raftkv.cs3700;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Before any leader has measured the network, a replica assumes heavy loss: the first leader
 * starts with its rounds wide and says so ({@code "lossy"}), so that followers holding client
 * requests ask it for a sign of life at once instead of waiting for its next heartbeat. Under
 * light loss its answers narrow it again within a round or two (the core's QuorumFanoutTest).
 */
class ReplicaFirstLeaderTest {
    private final RecordingLink link = new RecordingLink();

    private static String grant(String from) {
        return "{\"src\":\"" + from + "\",\"dst\":\"0000\",\"leader\":\"FFFF\",\"t\":1,\"type\":\"voteR\",\"ok\":true}";
    }

    @Test
    void theFirstLeaderOfARunStartsWideAndSaysSo() throws Exception {
        Replica r = new Replica("0000", List.of("0001", "0002"), link, ReplicaTuning.DEFAULT);
        r.start(System.currentTimeMillis());
        // Its election timeout ran out: in term 0 there is no leader to depose, so no pre-vote.
        assertThat(link.next("\"type\":\"vote\"")).doesNotContain("\"pre\"");
        r.onRaw(grant("0001"));

        String first = link.next("\"append\"");
        assertThat(first).as("the new leader's first round says it leads through heavy loss").contains("\"lossy\":true");
        r.stop();
    }
}
