package raftkv.cs3700;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A follower names the leader to a client only once the leader has shown it is alive since the
 * request came: it holds the request until the leader's next message, or, under heavy loss, the
 * answer to a ping.
 */
class ReplicaRedirectTest {
    private static final String HEARTBEAT =
            "{\"src\":\"0001\",\"dst\":\"0000\",\"leader\":\"0001\",\"type\":\"hb\",\"t\":1,\"c\":0,\"r\":0}";
    /** A heartbeat from a leader that says it leads through heavy loss. */
    private static final String LOSSY_HEARTBEAT =
            "{\"src\":\"0001\",\"dst\":\"0000\",\"leader\":\"0001\",\"type\":\"hb\",\"t\":1,\"c\":0,\"r\":0,\"lossy\":true}";

    private final RecordingLink link = new RecordingLink();

    /** Replica 0000, a follower that has just heard {@code heartbeat} from its leader 0001. */
    private Replica follower(String heartbeat) throws InterruptedException {
        Replica r = new Replica("0000", List.of("0001", "0002"), link, ReplicaTuning.DEFAULT);
        r.start(System.currentTimeMillis());
        r.onRaw(heartbeat);
        link.next("\"hbR\"");
        return r;
    }

    private static void get(Replica r, String mid) {
        r.onRaw("{\"src\":\"0005\",\"dst\":\"0000\",\"leader\":\"FFFF\",\"type\":\"get\",\"MID\":\"" + mid + "\",\"key\":\"k\"}");
    }


    @Test
    void aFollowerRedirectsOnlyAfterTheLeaderHasSpokenSinceTheRequestCame() throws Exception {
        Replica r = follower(HEARTBEAT);
        get(r, "m1");
        get(r, "m2");
        RecordingLink.awaitLoop(r);
        assertThat(link.sent).as("held: no word from the leader since they came").noneMatch(m -> m.contains("redirect"));
        assertThat(link.sent).as("light loss: the leader's next message comes soon").noneMatch(m -> m.contains("\"ping\""));

        r.onRaw(HEARTBEAT);
        assertThat(link.next("\"redirect\"")).contains("\"MID\":\"m1\"").contains("\"leader\":\"0001\"").contains("\"dst\":\"0005\"");
        assertThat(link.next("\"redirect\"")).contains("\"MID\":\"m2\"");
        r.stop();
    }

    @Test
    void underHeavyLossAFollowerHoldingRequestsPingsTheLeaderOnceAndItsPongReleasesThem() throws Exception {
        Replica r = follower(LOSSY_HEARTBEAT);
        get(r, "m1");
        get(r, "m2");
        RecordingLink.awaitLoop(r);
        assertThat(link.sent).as("one ping, to the leader, for both requests").filteredOn(m -> m.contains("\"ping\""))
                .singleElement().satisfies(m -> assertThat(m).contains("\"dst\":\"0001\""));
        assertThat(link.sent).noneMatch(m -> m.contains("redirect"));

        r.onRaw("{\"src\":\"0001\",\"dst\":\"0000\",\"leader\":\"0001\",\"type\":\"pong\"}");
        assertThat(link.next("\"redirect\"")).contains("\"MID\":\"m1\"").contains("\"leader\":\"0001\"");
        assertThat(link.next("\"redirect\"")).contains("\"MID\":\"m2\"");
        r.stop();
    }

    @Test
    void onlyTheLeaderAnswersAPing() throws Exception {
        Replica r = follower(HEARTBEAT);
        r.onRaw("{\"src\":\"0002\",\"dst\":\"0000\",\"leader\":\"0001\",\"type\":\"ping\"}");
        RecordingLink.awaitLoop(r);
        assertThat(link.sent).noneMatch(m -> m.contains("\"pong\""));
        r.stop();
    }
}
