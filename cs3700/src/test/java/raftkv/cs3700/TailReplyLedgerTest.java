package raftkv.cs3700;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import raftkv.kv.KvResult;
import raftkv.node.Reply;

/** The leader answers a put a chain's tail was given only once the tail has said it declined. */
class TailReplyLedgerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<String> answered = new ArrayList<>();
    private final List<String> readsServed = new ArrayList<>();
    private final java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
    private final TailReplyLedger ledger = new TailReplyLedger((req, reply) -> answered.add(req.mid()),
            get -> readsServed.add(get.mid()), nanos::get);

    private static ClientRequest put(String mid, String key) {
        return new ClientRequest("0015", mid, true, key, "v", 0, 0);
    }

    private static ClientRequest get(String mid, String key) {
        return new ClientRequest("0016", mid, false, key, null, 0, 0);
    }

    /** Our append to the tail: entries 11.. of term 4, after {@code prev}. */
    private static ObjectNode append(long prev, int entries) throws Exception {
        StringBuilder e = new StringBuilder();
        for (int i = 0; i < entries; i++) e.append(i == 0 ? "" : ",").append("[4,\"AQ==\"]");
        return (ObjectNode) JSON.readTree("{\"type\":\"append\",\"t\":4,\"pi\":" + prev + ",\"e\":[" + e + "]}");
    }

    private void tailSays(String kind, long index) throws Exception {
        ledger.heardFrom("0002", JSON.readTree("{\"" + kind + "\":[[4," + index + "]]}"));
    }

    private static final Reply DONE = new Reply.Done(KvResult.OK);

    /** Puts m11 (key a) and m12 (key b), proposed at 11 and 12 in term 4. */
    private final ClientRequest p11 = put("m11", "a");
    private final ClientRequest p12 = put("m12", "b");

    private void proposeTwo() {
        ledger.proposed(p11, 11, 4);
        ledger.proposed(p12, 12, 4);
    }

    @Test
    void aNewWritesPutsAreHandedToTheTailOnceAndOnlyThoseOfThisRound() throws Exception {
        proposeTwo();
        ObjectNode first = append(10, 2);
        assertThat(ledger.designate("0002", first, 11)).as("entry 11 was offered before").isEqualTo(1);
        assertThat(first.get("rd").toString()).isEqualTo("[[4,12,\"0015\",\"m12\"]]");
        assertThat(ledger.designate("0003", append(11, 1), 11)).as("12 has its tail already").isZero();
        assertThat(ledger.answerNow(p11, DONE)).as("not designated: ours to answer").isTrue();
    }

    @Test
    void whenTheTailRepliedTheLeaderNeverDoes() throws Exception {
        ClientRequest p = put("m11", "a");
        ledger.proposed(p, 11, 4);
        ledger.designate("0002", append(10, 1), 10);
        assertThat(ledger.questionsFor("0002", false)).as("its round may still be on its way").isNull();
        nanos.addAndGet(5_000_000L);
        assertThat(ledger.questionsFor("0002", false).toString()).isEqualTo("[[4,11]]");
        assertThat(ledger.questionsFor("0002", true)).as("our node has not answered it yet").isNull();
        assertThat(ledger.answerNow(p, DONE)).isFalse();
        assertThat(ledger.tailsOwingWord()).containsExactly("0002");
        assertThat(ledger.questionsFor("0002", true).toString()).isEqualTo("[[4,11]]");
        assertThat(ledger.questionsFor("0003", false)).isNull();
        tailSays("r", 11);
        assertThat(answered).isEmpty();
        assertThat(ledger.tracked()).isZero();
    }

    @Test
    void whenTheTailDeclinedTheLeaderAnswersWithItsNodesAnswerWhicheverCameFirst() throws Exception {
        proposeTwo();
        ledger.designate("0002", append(10, 2), 10);
        assertThat(ledger.answerNow(p11, DONE)).isFalse();
        tailSays("d", 11);
        assertThat(answered).containsExactly("m11");
        tailSays("d", 12);
        assertThat(ledger.answerNow(p12, DONE)).as("declined before our node answered").isTrue();
        assertThat(ledger.tracked()).isZero();
    }

    @Test
    void onlyTheDesignatedTailIsHeardAndOnlyItsFirstWordCounts() throws Exception {
        ClientRequest p = put("m11", "a");
        ledger.proposed(p, 11, 4);
        ledger.designate("0002", append(10, 1), 10);
        ledger.answerNow(p, DONE);
        ledger.heardFrom("0003", JSON.readTree("{\"d\":[[4,11]]}"));
        ledger.heardFrom("0002", JSON.readTree("{\"d\":[[5,11]]}"));
        assertThat(answered).as("another follower, another term: not the tail's word").isEmpty();
        tailSays("r", 11);
        tailSays("d", 11);
        assertThat(answered).isEmpty();
    }

    @Test
    void aGetWaitsForADesignatedPutOnItsKeyUntilItIsAppliedHere() throws Exception {
        ledger.proposed(put("m11", "a"), 11, 4);
        ledger.designate("0002", append(10, 1), 10);
        assertThat(ledger.holdRead(get("g1", "b"), 10)).as("another key").isFalse();
        assertThat(ledger.holdRead(get("g2", "a"), 10)).isTrue();
        ledger.applied(10, true);
        assertThat(readsServed).isEmpty();
        ledger.applied(11, true);
        assertThat(readsServed).containsExactly("g2");
        assertThat(ledger.holdRead(get("g3", "a"), 11)).isFalse();
    }

    @Test
    void aGetDoesNotWaitForPutsHandedOverAfterItCame() throws Exception {
        ledger.proposed(put("m11", "a"), 11, 4);
        ledger.designate("0002", append(10, 1), 10);
        assertThat(ledger.holdRead(get("g1", "a"), 10)).isTrue();
        ledger.proposed(put("m12", "a"), 12, 4);
        ledger.designate("0002", append(11, 1), 11);
        ledger.applied(11, true);
        assertThat(readsServed).containsExactly("g1");
    }

    @Test
    void aTailGivenUpOnLeavesUsOnlyTheCommittedPutsToAnswer() throws Exception {
        proposeTwo();
        ledger.designate("0002", append(10, 2), 10);
        ledger.answerNow(p11, DONE);
        ledger.answerNow(p12, new Reply.NotLeader(-1));
        ledger.giveUpOn("0002");
        assertThat(answered).as("a redirect would have its client send it again").containsExactly("m11");
        assertThat(ledger.tracked()).isZero();
    }

    @Test
    void aLeaderThatStepsDownLetsWaitingGetsGo() throws Exception {
        ledger.proposed(put("m11", "a"), 11, 4);
        ledger.designate("0002", append(10, 1), 10);
        assertThat(ledger.holdRead(get("g1", "a"), 10)).isTrue();
        ledger.applied(10, false);
        assertThat(readsServed).containsExactly("g1");
    }
}
