package raftkv.cs3700;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import raftkv.raft.Entry;
import raftkv.raft.Message;

/** Only a new write's round that is one relay chain hands its puts to the chain's tail. */
class CourierTailTest {
    private final List<ObjectNode> wire = new ArrayList<>();
    private final List<String> designated = new ArrayList<>();
    private final Courier leader = new Courier("0000", wire::add, () -> "0000", () -> 1_000_000_000L, 20_000_000L, () -> false)
            .designatingTails((tail, append, after) -> designated.add(tail + " after " + after + " offered from " + append.path("pi").asLong()));

    private void offer(long index, int... followers) {
        for (int f : followers) {
            leader.heard(Ids.format(f)); // a tail is handed puts only if heard from lately
            Message m = new Message.AppendRequest(0, f, 3, index - 1, 3, List.of(new Entry(index, 3, new byte[] {1})), 10, 5);
            leader.post(m, RaftJson.encode(m, 0));
        }
        leader.flush();
    }

    @Test
    void aNewWritesChainHandsItToTheTail() {
        offer(11, 1, 2);
        assertThat(designated).containsExactly("0002 after 0 offered from 10");
        assertThat(wire.getFirst().get("via").toString()).isEqualTo("[\"0002\",\"0000\"]");
    }

    @Test
    void aRetryAStarAndTwoChainsDoNot() {
        offer(11, 1, 2);
        designated.clear();
        offer(11, 1, 2); // the same entry again
        offer(12, 1, 2, 3); // a star
        offer(13, 1, 2, 3, 4); // two chains
        assertThat(designated).isEmpty();
    }
}
