package raftkv.cs3700;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import raftkv.raft.Configuration;
import raftkv.raft.Entry;
import raftkv.raft.Message;
import raftkv.raft.RaftCore;
import raftkv.raft.SnapshotMeta;

/**
 * Raft messages as simulator JSON. The simulator forwards unknown fields verbatim, so each Raft
 * message is its own {@code type} with short field names (datagrams stay small). Entries of an
 * append are contiguous, so only their terms and data travel; data is base64.
 */
final class RaftJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Base64.Encoder B64 = Base64.getEncoder();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    static final Set<String> TYPES = Set.of("vote", "voteR", "append", "appendR", "hb", "hbR", "snap", "snapR", "timeoutNow");

    private RaftJson() {}

    static ObjectNode encode(Message m, int leader) {
        ObjectNode o = F.objectNode();
        o.put("src", Ids.format(m.from()));
        o.put("dst", Ids.format(m.to()));
        o.put("leader", Ids.format(leader));
        o.put("t", m.term());
        switch (m) {
            case Message.VoteRequest r -> {
                o.put("type", "vote");
                o.put("li", r.lastLogIndex());
                o.put("lt", r.lastLogTerm());
                if (r.preVote()) o.put("pre", true);
                if (r.transfer()) o.put("tr", true);
                if (r.leaderSilent()) o.put("ls", true);
            }
            case Message.VoteResponse r -> {
                o.put("type", "voteR");
                o.put("ok", r.granted());
                if (r.preVote()) o.put("pre", true);
                if (r.leaseTicksLeft() > 0) o.put("lease", r.leaseTicksLeft());
                if (r.leaderHint() != RaftCore.NONE) o.put("lh", Ids.format(r.leaderHint()));
            }
            case Message.AppendRequest r -> {
                o.put("type", "append");
                o.put("pi", r.prevIndex());
                o.put("pt", r.prevTerm());
                o.put("c", r.commit());
                o.put("r", r.round());
                ArrayNode es = o.putArray("e");
                for (Entry e : r.entries()) {
                    ArrayNode pair = es.addArray();
                    pair.add(e.term());
                    pair.add(B64.encodeToString(e.data()));
                }
            }
            case Message.AppendResponse r -> {
                o.put("type", "appendR");
                o.put("ok", r.success());
                o.put("i", r.index());
                o.put("r", r.round());
                if (!r.success()) {
                    o.put("ci", r.conflictIndex());
                    o.put("ct", r.conflictTerm());
                }
            }
            case Message.Heartbeat h -> {
                o.put("type", "hb");
                o.put("c", h.commit());
                o.put("r", h.round());
            }
            case Message.HeartbeatResponse h -> {
                o.put("type", "hbR");
                o.put("r", h.round());
            }
            case Message.SnapshotChunk c -> {
                o.put("type", "snap");
                putMeta(o, c.meta());
                o.put("off", c.offset());
                o.put("d", B64.encodeToString(c.data()));
                o.put("done", c.done());
            }
            case Message.SnapshotResponse r -> {
                o.put("type", "snapR");
                o.put("i", r.index());
                o.put("next", r.nextOffset());
                o.put("inst", r.installed());
            }
            case Message.TimeoutNow t -> o.put("type", "timeoutNow");
        }
        return o;
    }

    /** Decodes a Raft message; throws IllegalArgumentException with a reason if it is malformed. */
    static Message decode(JsonNode o) {
        String type = text(o, "type");
        int from = Ids.parse(text(o, "src"));
        int to = Ids.parse(text(o, "dst"));
        long term = num(o, "t");
        return switch (type) {
            case "vote" -> new Message.VoteRequest(from, to, term, num(o, "li"), num(o, "lt"),
                    o.path("pre").asBoolean(false), o.path("tr").asBoolean(false), o.path("ls").asBoolean(false));
            case "voteR" -> new Message.VoteResponse(from, to, term, bool(o, "ok"), o.path("pre").asBoolean(false),
                    o.has("lease") ? num(o, "lease") : 0, o.has("lh") ? Ids.parse(text(o, "lh")) : RaftCore.NONE);
            case "append" -> {
                long prev = num(o, "pi");
                JsonNode es = o.get("e");
                if (es == null || !es.isArray()) throw new IllegalArgumentException("append without entries array");
                List<Entry> entries = new ArrayList<>(es.size());
                for (JsonNode pair : es) {
                    if (!pair.isArray() || pair.size() != 2) throw new IllegalArgumentException("bad entry " + pair);
                    entries.add(new Entry(prev + entries.size() + 1, pair.get(0).asLong(), B64D.decode(pair.get(1).asText())));
                }
                yield new Message.AppendRequest(from, to, term, prev, num(o, "pt"), entries, num(o, "c"), num(o, "r"));
            }
            case "appendR" -> new Message.AppendResponse(from, to, term, bool(o, "ok"), num(o, "i"),
                    o.path("ci").asLong(0), o.path("ct").asLong(0), num(o, "r"));
            case "hb" -> new Message.Heartbeat(from, to, term, num(o, "c"), num(o, "r"));
            case "hbR" -> new Message.HeartbeatResponse(from, to, term, num(o, "r"));
            case "snap" -> new Message.SnapshotChunk(from, to, term, meta(o), num(o, "off"),
                    B64D.decode(text(o, "d")), bool(o, "done"));
            case "snapR" -> new Message.SnapshotResponse(from, to, term, num(o, "i"), num(o, "next"), bool(o, "inst"));
            case "timeoutNow" -> new Message.TimeoutNow(from, to, term);
            default -> throw new IllegalArgumentException("unknown message type '" + type + "'");
        };
    }

    private static void putMeta(ObjectNode o, SnapshotMeta meta) {
        o.put("si", meta.index());
        o.put("st", meta.term());
        ArrayNode v = o.putArray("voters");
        meta.configuration().voters().stream().sorted().forEach(v::add);
        ArrayNode l = o.putArray("learners");
        meta.configuration().learners().stream().sorted().forEach(l::add);
    }

    private static SnapshotMeta meta(JsonNode o) {
        Set<Integer> voters = new HashSet<>();
        o.path("voters").forEach(n -> voters.add(n.asInt()));
        Set<Integer> learners = new HashSet<>();
        o.path("learners").forEach(n -> learners.add(n.asInt()));
        return new SnapshotMeta(num(o, "si"), num(o, "st"), new Configuration(voters, learners));
    }

    static String text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || !n.isTextual()) throw new IllegalArgumentException("missing string field '" + field + "'");
        return n.asText();
    }

    private static long num(JsonNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || !n.canConvertToLong()) throw new IllegalArgumentException("missing number field '" + field + "'");
        return n.asLong();
    }

    private static boolean bool(JsonNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || !n.isBoolean()) throw new IllegalArgumentException("missing boolean field '" + field + "'");
        return n.asBoolean();
    }
}
