package raftkv.cs3700;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import raftkv.raft.Configuration;
import raftkv.raft.Entry;
import raftkv.raft.Message;
import raftkv.raft.SnapshotMeta;

/** Every Raft message survives the trip through simulator JSON with every field intact. */
class RaftJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final List<Message> SAMPLES = List.of(
            new Message.VoteRequest(1, 2, 7, 40, 6, true, false),
            new Message.VoteRequest(1, 2, 7, 40, 6, false, true),
            new Message.VoteRequest(1, 2, 7, 40, 6, true, false, true),
            new Message.VoteResponse(2, 1, 7, true, true),
            new Message.VoteResponse(2, 1, 8, false, false),
            new Message.VoteResponse(2, 1, 8, false, true, 37),
            new Message.VoteResponse(2, 1, 8, false, true, 37, 3),
            new Message.AppendRequest(0, 3, 5, 10, 4,
                    List.of(new Entry(11, 4, "a".getBytes(StandardCharsets.UTF_8)), new Entry(12, 5, new byte[0])), 9, 17),
            new Message.AppendRequest(0, 3, 5, 12, 5, List.of(), 12, 18),
            new Message.AppendResponse(3, 0, 5, true, 12, 0, 0, 17),
            new Message.AppendResponse(3, 0, 5, false, 10, 7, 3, 18),
            new Message.Heartbeat(0, 4, 5, 12, 19),
            new Message.HeartbeatResponse(4, 0, 5, 19),
            new Message.SnapshotChunk(0, 2, 5, new SnapshotMeta(100, 4, new Configuration(Set.of(0, 1, 2), Set.of(3))),
                    4096, new byte[] {1, 2, 3}, true),
            new Message.SnapshotResponse(2, 0, 5, 100, 4099, true),
            new Message.TimeoutNow(0, 1, 5));

    @Test
    void everyMessageTypeRoundTripsWithAllItsFields() throws Exception {
        for (Message m : SAMPLES) {
            String text = RaftJson.encode(m, 0).toString();
            Message back = RaftJson.decode(JSON.readTree(text));
            assertThat(back).as(text).usingRecursiveComparison().isEqualTo(m);
        }
    }

    @Test
    void everyTypeItEncodesIsOneItAccepts() {
        for (Message m : SAMPLES) {
            assertThat(RaftJson.TYPES).contains(RaftJson.encode(m, 0).get("type").asText());
        }
    }

    @Test
    void aMissingFieldIsRefusedByName() throws Exception {
        var o = RaftJson.encode(new Message.Heartbeat(0, 4, 5, 12, 19), 0);
        o.remove("r");
        assertThatThrownBy(() -> RaftJson.decode(o)).hasMessageContaining("'r'");
    }
}
