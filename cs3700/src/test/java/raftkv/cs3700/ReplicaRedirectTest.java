package raftkv.cs3700;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A follower names the leader to a client only once the leader has shown it is alive since the
 * request came: it holds the request until the leader's next message.
 */
class ReplicaRedirectTest {
    private static final String HEARTBEAT =
            "{\"src\":\"0001\",\"dst\":\"0000\",\"leader\":\"0001\",\"type\":\"hb\",\"t\":1,\"c\":0,\"r\":0}";

    @Test
    void aFollowerRedirectsOnlyAfterTheLeaderHasSpokenSinceTheRequestCame() throws Exception {
        RecordingLink link = new RecordingLink();
        Replica r = new Replica("0000", List.of("0001", "0002"), link, ReplicaTuning.DEFAULT);
        r.start(System.currentTimeMillis());
        r.onRaw(HEARTBEAT);
        link.next("\"hbR\"");
        r.onRaw("{\"src\":\"0005\",\"dst\":\"0000\",\"leader\":\"FFFF\",\"type\":\"get\",\"MID\":\"m1\",\"key\":\"k\"}");
        r.onRaw("{\"src\":\"0005\",\"dst\":\"0000\",\"leader\":\"FFFF\",\"type\":\"get\",\"MID\":\"m2\",\"key\":\"k\"}");
        java.util.concurrent.CompletableFuture<Void> handled = new java.util.concurrent.CompletableFuture<>();
        r.loop().execute(() -> handled.complete(null));
        handled.get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(link.sent).as("held: no word from the leader since they came").noneMatch(m -> m.contains("redirect"));

        r.onRaw(HEARTBEAT);
        assertThat(link.next("\"redirect\"")).contains("\"MID\":\"m1\"").contains("\"leader\":\"0001\"").contains("\"dst\":\"0005\"");
        assertThat(link.next("\"redirect\"")).contains("\"MID\":\"m2\"");
        r.stop();
    }
}
