package raftkv.cs3700;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The last follower of a relay chain answers the clients of the puts the leader handed it, when
 * its partner's answer and its own prove the entries committed, and tells the leader either way.
 */
class ReplicaTailReplyTest {
    private final RecordingLink link = new RecordingLink();

    /** Leader 0001's append of entry 1 (term 1) to us, handing us the put of client 0015, MID m1. */
    private static final String APPEND = "{\"src\":\"0001\",\"dst\":\"0000\",\"leader\":\"0001\",\"t\":1,\"type\":\"append\","
            + "\"pi\":0,\"pt\":0,\"c\":0,\"r\":7,\"e\":[[1,\"AQ==\"]],\"rd\":[[1,1,\"0015\",\"m1\"]]}";
    /** Our partner 0002's answer to the same round, travelling back to the leader through us. */
    private static final String PARTNER_OK = "{\"src\":\"0002\",\"dst\":\"0001\",\"leader\":\"0001\",\"t\":1,"
            + "\"type\":\"appendR\",\"ok\":true,\"i\":1,\"r\":7}";

    private Replica tail() {
        Replica r = new Replica("0000", List.of("0001", "0002", "0003", "0004"), link, ReplicaTuning.DEFAULT);
        r.start(System.currentTimeMillis());
        return r;
    }

    private static String chainLeg(String... messages) {
        return "{\"src\":\"0002\",\"dst\":\"0000\",\"leader\":\"0001\",\"type\":\"bundle\",\"via\":[\"0001\"],\"m\":["
                + String.join(",", messages) + "]}";
    }


    @Test
    void withItsPartnersAnswerTheTailAnswersTheClientAndTellsTheLeader() throws Exception {
        Replica r = tail();
        RecordingLink.awaitLoop(r);
        r.onRaw(chainLeg(APPEND, PARTNER_OK));
        assertThat(link.next("\"MID\"")).contains("\"src\":\"0000\"", "\"dst\":\"0015\"", "\"leader\":\"0001\"",
                "\"type\":\"ok\"", "\"MID\":\"m1\"");
        String back = link.next("\"bundle\"");
        assertThat(back).contains("\"dst\":\"0001\"").contains("\"rs\":{\"r\":[[1,1]]}");
        r.stop();
    }

    @Test
    void withoutProofTheTailDeclinesAndAnswersNoClient() throws Exception {
        Replica r = tail();
        RecordingLink.awaitLoop(r);
        r.onRaw(chainLeg(APPEND));
        String back = link.next("\"appendR\"");
        assertThat(back).contains("\"dst\":\"0001\"").contains("\"rs\":{\"d\":[[1,1]]}");
        RecordingLink.awaitLoop(r);
        assertThat(link.sent).noneMatch(m -> m.contains("\"MID\""));
        r.stop();
    }
}
