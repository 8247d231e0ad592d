package raftkv.cs3700;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import raftkv.raft.Message;

/** The courier sends what a loop turn produced in as few simulator messages as it can. */
class CourierTest {
    private final List<ObjectNode> wire = new ArrayList<>();
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final java.util.concurrent.atomic.AtomicBoolean heavyLoss = new java.util.concurrent.atomic.AtomicBoolean();
    private final Courier leader = new Courier("0000", wire::add, () -> "0000", nanos::get, 20_000_000L, heavyLoss::get);

    private void post(Courier c, Message m) {
        c.post(m, RaftJson.encode(m, 0));
    }

    private static Message.AppendRequest append(int to) {
        return new Message.AppendRequest(0, to, 3, 10, 3, List.of(), 10, 5);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.isTextual() ? n.asText() : n.path("dst").asText()));
        return out;
    }

    @Test
    void aLoneMessageTravelsAsItIs() {
        post(leader, append(1));
        leader.flush();
        assertThat(wire).hasSize(1);
        assertThat(wire.getFirst().get("type").asText()).isEqualTo("append");
    }

    @Test
    void requestsToTwoPeersBecomeOneChainThatComesBackToUs() {
        post(leader, append(1));
        post(leader, append(2));
        leader.flush();
        assertThat(wire).hasSize(1);
        ObjectNode bundle = wire.getFirst();
        assertThat(bundle.get("type").asText()).isEqualTo("bundle");
        assertThat(bundle.get("dst").asText()).isEqualTo("0001");
        assertThat(texts(bundle.get("via"))).containsExactly("0002", "0000");
        assertThat(texts(bundle.get("m"))).containsExactly("0001", "0002");
    }

    /** Offers entry {@code index} to followers 1-3 and flushes; returns the followers a hedge now waits on. */
    private List<java.util.Set<String>> offer(Courier c, List<java.util.Set<String>> hedged, long index) {
        for (int peer = 1; peer <= 3; peer++) {
            post(c, new Message.AppendRequest(0, peer, 3, index - 1, 3, List.of(new raftkv.raft.Entry(index, 3, new byte[] {1})), 10, 5));
        }
        c.flush();
        return hedged;
    }

    @Test
    void underHeavyLossANewWritesRoundIsHedgedButNotARetryOrARoundUnderLightLoss() {
        List<java.util.Set<String>> hedged = new ArrayList<>();
        leader.hedgedBy(new RoundHedge((delay, task) -> () -> { }, nanos::get, 2, () -> { }) {
            @Override
            void roundSent(java.util.Set<String> followers) {
                hedged.add(followers);
            }
        });
        offer(leader, hedged, 11); // light loss: not hedged
        assertThat(hedged).isEmpty();
        heavyLoss.set(true);
        offer(leader, hedged, 12);
        assertThat(hedged).containsExactly(java.util.Set.of("0001", "0002", "0003"));
        offer(leader, hedged, 12); // the same entries again: a retry
        assertThat(hedged).hasSize(1);
    }

    @Test
    void underHeavyLossHeartbeatsGoDirectlyWhileEntriesStillChain() {
        heavyLoss.set(true);
        post(leader, new Message.Heartbeat(0, 1, 3, 10, 5));
        post(leader, new Message.Heartbeat(0, 2, 3, 10, 5));
        leader.flush();
        assertThat(wire).extracting(m -> m.get("type").asText()).containsExactly("hb", "hb");

        wire.clear();
        for (int peer = 1; peer <= 2; peer++) {
            post(leader, new Message.AppendRequest(0, peer, 3, 10, 3, List.of(new raftkv.raft.Entry(11, 3, new byte[] {1})), 10, 5));
        }
        leader.flush();
        assertThat(wire).extracting(m -> m.get("type").asText()).containsExactly("bundle");
    }

    @Test
    void whileOurNodeProbesEveryRequestGoesDirectlyAndChainsComeBackAfter() {
        java.util.concurrent.atomic.AtomicBoolean probing = new java.util.concurrent.atomic.AtomicBoolean(true);
        leader.directWhile(probing::get);
        for (int peer = 1; peer <= 4; peer++) post(leader, append(peer));
        leader.flush();
        assertThat(wire).extracting(m -> m.get("type").asText()).containsExactly("append", "append", "append", "append");

        wire.clear();
        probing.set(false);
        for (int peer = 1; peer <= 4; peer++) post(leader, append(peer));
        leader.flush();
        assertThat(wire).extracting(m -> m.get("type").asText()).containsExactly("bundle", "bundle");
    }

    @Test
    void fourRequestsMakeTwoChainsAndAnOddOneGoesAlone() {
        for (int peer = 1; peer <= 3; peer++) post(leader, append(peer));
        leader.flush();
        assertThat(wire).hasSize(2);
        assertThat(wire.get(0).get("type").asText()).isEqualTo("bundle");
        assertThat(wire.get(1).get("type").asText()).isEqualTo("append");
    }

    @Test
    void entriesForThreePeersTravelAsAStarWhoseBranchesBothLeadBack() {
        for (int peer = 1; peer <= 3; peer++) {
            post(leader, new Message.AppendRequest(0, peer, 3, 10, 3, List.of(new raftkv.raft.Entry(11, 3, new byte[] {1})), 10, 5));
        }
        leader.flush();
        assertThat(wire).as("one message out: to the hub").hasSize(1);
        ObjectNode star = wire.getFirst();
        assertThat(star.get("dst").asText()).isEqualTo("0001");
        assertThat(texts(star.get("via"))).isEmpty();
        assertThat(star.get("fork")).hasSize(2);
        assertThat(texts(star.get("fork").get(0))).containsExactly("0002", "0000");
        assertThat(texts(star.get("fork").get(1))).containsExactly("0003", "0000");
        assertThat(texts(star.get("m"))).containsExactly("0001", "0002", "0003");
    }

    @Test
    void theHubsAnswerToTheOriginTravelsOnEveryBranchBack() {
        Courier hub = new Courier("0001", wire::add, () -> "0000", nanos::get, 20_000_000L, heavyLoss::get);
        hub.carry(List.of(RaftJson.encode(append(2), 0)), List.of("0002", "0000"));
        hub.carry(List.of(RaftJson.encode(append(3), 0)), List.of("0003", "0000"));
        post(hub, new Message.AppendResponse(1, 0, 3, true, 10, 0, 0, 5));
        hub.flush();
        assertThat(wire).extracting(m -> m.get("dst").asText()).containsExactly("0002", "0003");
        assertThat(wire).allSatisfy(m -> assertThat(m.get("m")).extracting(x -> x.get("type").asText())
                .containsExactly("append", "appendR"));
    }

    @Test
    void voteRequestsAreNeverChained() {
        for (int peer = 1; peer <= 4; peer++) post(leader, new Message.VoteRequest(0, peer, 4, 10, 3, true, false));
        leader.flush();
        assertThat(wire).extracting(m -> m.get("type").asText()).containsExactly("vote", "vote", "vote", "vote");
    }

    @Test
    void answersAreNeverChained() {
        Courier follower = new Courier("0001", wire::add, () -> "0000", nanos::get, 20_000_000L, heavyLoss::get);
        post(follower, new Message.AppendResponse(1, 0, 3, true, 10, 0, 0, 5));
        post(follower, new Message.VoteResponse(1, 2, 3, true, false));
        follower.flush();
        assertThat(wire).extracting(m -> m.get("type").asText()).containsExactly("appendR", "voteR");
    }

    @Test
    void aCarriedParcelGoesOnWithOurAnswerToAnyoneOnItsRoute() {
        Courier middle = new Courier("0001", wire::add, () -> "0000", nanos::get, 20_000_000L, heavyLoss::get);
        middle.carry(List.of(RaftJson.encode(append(2), 0)), List.of("0002", "0000"));
        post(middle, new Message.AppendResponse(1, 0, 3, true, 10, 0, 0, 5));
        middle.flush();
        assertThat(wire).hasSize(1);
        ObjectNode onward = wire.getFirst();
        assertThat(onward.get("dst").asText()).isEqualTo("0002");
        assertThat(texts(onward.get("via"))).containsExactly("0000");
        assertThat(onward.get("m")).extracting(m -> m.get("type").asText()).containsExactly("append", "appendR");
    }

    @Test
    void aPeerThatOwesAnAnswerTooLongIsSentToDirectlyUntilHeardFrom() {
        post(leader, append(1));
        post(leader, append(2));
        leader.flush();
        nanos.addAndGet(30_000_000L); // neither answered within 20 ms
        leader.heard("0002");
        assertThat(leader.trusted("0001")).isFalse();
        assertThat(leader.trusted("0002")).isTrue();
        wire.clear();
        post(leader, append(1));
        post(leader, append(2));
        leader.flush();
        assertThat(wire).extracting(m -> m.get("type").asText()).containsExactly("append", "append");
        leader.heard("0001");
        wire.clear();
        post(leader, append(1));
        post(leader, append(2));
        leader.flush();
        assertThat(wire).extracting(m -> m.get("type").asText()).containsExactly("bundle");
    }

    @Test
    void severalMessagesToOnePeerTravelTogether() {
        Courier follower = new Courier("0001", wire::add, () -> "0000", nanos::get, 20_000_000L, heavyLoss::get);
        post(follower, new Message.AppendResponse(1, 0, 3, true, 10, 0, 0, 5));
        post(follower, new Message.HeartbeatResponse(1, 0, 3, 6));
        follower.flush();
        assertThat(wire).hasSize(1);
        assertThat(wire.getFirst().get("type").asText()).isEqualTo("bundle");
        assertThat(wire.getFirst().get("via")).isEmpty();
    }

    @Test
    void moreThanADatagramHoldsTravelsInSeveral() {
        Courier follower = new Courier("0001", wire::add, () -> "0000", nanos::get, 20_000_000L, heavyLoss::get);
        byte[] big = new byte[20_000];
        for (int i = 0; i < 4; i++) {
            post(follower, new Message.AppendRequest(1, 2, 3, 10 + i, 3, List.of(new raftkv.raft.Entry(11 + i, 3, big)), 10, 5));
        }
        follower.flush();
        assertThat(wire).hasSizeGreaterThan(1)
                .allSatisfy(m -> assertThat(m.toString().length()).isLessThan(Courier.MAX_BUNDLE_CHARS + 30_000));
        int appends = 0;
        for (ObjectNode m : wire) appends += m.get("type").asText().equals("bundle") ? m.get("m").size() : 1;
        assertThat(appends).isEqualTo(4);
    }

    @Test
    void partnersArePairedByHowRecentlyTheyWereHeard() {
        leader.heard("0002");
        nanos.addAndGet(1_000_000L);
        leader.heard("0004");
        nanos.addAndGet(1_000_000L);
        leader.heard("0001");
        // 0003 has not been heard from at all
        for (int peer = 1; peer <= 4; peer++) post(leader, append(peer));
        leader.flush();
        assertThat(wire).hasSize(2);
        assertThat(wire.get(0).get("dst").asText()).isEqualTo("0001");
        assertThat(texts(wire.get(0).get("via"))).containsExactly("0004", "0000");
        assertThat(wire.get(1).get("dst").asText()).isEqualTo("0002");
        assertThat(texts(wire.get(1).get("via"))).containsExactly("0003", "0000");
    }
}
