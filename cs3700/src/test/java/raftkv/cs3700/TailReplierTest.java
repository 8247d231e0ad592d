package raftkv.cs3700;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** A chain's tail answers a put only with proof that it is committed, and its decision is final. */
class TailReplierTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int QUORUM_OF_FIVE = 3;
    private final TailReplier tail = new TailReplier();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    private ObjectNode report() {
        ObjectNode answer = JSON.createObjectNode();
        tail.report(answer);
        return answer;
    }

    @Test
    void itAnswersThePutsWhoseEntriesTheLeaderAndTwoFollowersHold() throws Exception {
        JsonNode rd = json("[[4, 11, \"0015\", \"m11\"], [4, 12, \"0016\", \"m12\"]]");
        // The partner (0002) matched through 12, we (0000) through 11 only: entry 12 is on two of five.
        List<TailReplier.Duty> answer = tail.decide(4, rd, Map.of("0002", 12L, "0000", 11L), QUORUM_OF_FIVE);
        assertThat(answer).extracting(TailReplier.Duty::mid).containsExactly("m11");
        assertThat(report().toString()).isEqualTo("{\"rs\":{\"r\":[[4,11]],\"d\":[[4,12]]}}");
        assertThat(report().has("rs")).as("each status is reported once").isFalse();
    }

    @Test
    void withoutItsPartnersAnswerItDeclines() throws Exception {
        assertThat(tail.decide(4, json("[[4, 11, \"0015\", \"m11\"]]"), Map.of("0002", 11L), QUORUM_OF_FIVE)).isEmpty();
        assertThat(report().toString()).isEqualTo("{\"rs\":{\"d\":[[4,11]]}}");
    }

    @Test
    void itCountsEachFollowerOnce() throws Exception {
        // Only the partner's answers and the leader: two of five, however many answers it sent.
        java.util.Map<String, Long> onlyThePartner = new java.util.HashMap<>();
        onlyThePartner.merge("0002", 11L, Math::max);
        onlyThePartner.merge("0002", 12L, Math::max);
        assertThat(tail.decide(4, json("[[4, 11, \"0015\", \"m11\"]]"), onlyThePartner, QUORUM_OF_FIVE)).isEmpty();
    }

    @Test
    void aDutyOfAnotherTermThanTheAppendsIsIgnored() throws Exception {
        assertThat(tail.decide(5, json("[[4, 11, \"0015\", \"m11\"]]"), Map.of("0002", 11L, "0000", 11L), QUORUM_OF_FIVE)).isEmpty();
        assertThat(report().has("rs")).isFalse();
    }

    @Test
    void aDutyAskedAboutBeforeItArrivedIsDeclinedForGood() throws Exception {
        tail.asked(json("[[4, 11]]"));
        assertThat(report().toString()).isEqualTo("{\"rs\":{\"d\":[[4,11]]}}");
        // The round that carried it comes late, with proof: the leader answers, so we must not.
        assertThat(tail.decide(4, json("[[4, 11, \"0015\", \"m11\"]]"), Map.of("0002", 11L, "0000", 11L), QUORUM_OF_FIVE)).isEmpty();
        assertThat(report().has("rs")).isFalse();
    }

    @Test
    void askedAgainAfterAnsweringItSaysSoAgainAndNeverAnswersTwice() throws Exception {
        JsonNode rd = json("[[4, 11, \"0015\", \"m11\"]]");
        assertThat(tail.decide(4, rd, Map.of("0002", 11L, "0000", 11L), QUORUM_OF_FIVE)).hasSize(1);
        report(); // lost on its way to the leader
        tail.asked(json("[[4, 11]]"));
        assertThat(report().toString()).isEqualTo("{\"rs\":{\"r\":[[4,11]]}}");
        assertThat(tail.decide(4, rd, Map.of("0002", 11L, "0000", 11L), QUORUM_OF_FIVE)).as("a copy of the same round").isEmpty();
    }

    @Test
    void malformedDutiesAreSkipped() throws Exception {
        JsonNode rd = json("[[4, 11, \"not-an-id\", \"m\"], [4], \"x\", [4, 12, \"0015\", \"m12\"]]");
        assertThat(tail.decide(4, rd, Map.of("0002", 12L, "0000", 12L), QUORUM_OF_FIVE)).extracting(TailReplier.Duty::mid).containsExactly("m12");
    }
}
