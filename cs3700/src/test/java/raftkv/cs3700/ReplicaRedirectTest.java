package raftkv.cs3700;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A follower names the leader to a client only once the leader has shown it is alive since the
 * request came: it holds the request and pings the leader, and the pong releases the redirect.
 */
class ReplicaRedirectTest {
    @Test
    void aFollowerPingsTheLeaderAndRedirectsOnlyAfterThePong() throws Exception {
        RecordingLink link = new RecordingLink();
        Replica r = new Replica("0000", List.of("0001", "0002"), link, ReplicaTuning.DEFAULT);
        r.start(System.currentTimeMillis());
        r.onRaw("{\"src\":\"0001\",\"dst\":\"0000\",\"leader\":\"0001\",\"type\":\"hb\",\"t\":1,\"c\":0,\"r\":0}");
        link.next("\"hbR\"");
        r.onRaw("{\"src\":\"0005\",\"dst\":\"0000\",\"leader\":\"FFFF\",\"type\":\"get\",\"MID\":\"m1\",\"key\":\"k\"}");

        String ping = link.next("\"ping\"");
        assertThat(ping).contains("\"dst\":\"0001\"");
        assertThat(link.sent).as("no redirect before the leader has answered").noneMatch(m -> m.contains("redirect"));

        r.onRaw("{\"src\":\"0001\",\"dst\":\"0000\",\"leader\":\"0001\",\"type\":\"pong\"}");
        String redirect = link.next("\"redirect\"");
        assertThat(redirect).contains("\"MID\":\"m1\"").contains("\"leader\":\"0001\"").contains("\"dst\":\"0005\"");
        r.stop();
    }
}
