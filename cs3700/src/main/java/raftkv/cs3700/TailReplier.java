package raftkv.cs3700;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A follower's side of tail replies (cs3700/REPLICA.md, "Tail replies"). The leader may hand the
 * last follower of a relay chain the duty to answer some of the puts whose entries the chain
 * carries ({@code "rd"} on that follower's append). The tail answers a put's client itself if,
 * when the chain reaches it, it can prove the entry committed: the leader holds it, and enough of
 * the chain's followers answered the leader's append of that term with a match at or past the
 * entry to make a quorum with it (Raft §5.4.2: an entry of the leader's own term stored on a
 * majority is committed). Otherwise it declines. Either way the decision is final, and the leader
 * learns it from the status this follower adds to its next answers ({@code "rs"}); the leader asks
 * again ({@code "rq"}) until it has it, and a duty asked about but never received is declined, so
 * that a late copy of it cannot make a second reply.
 * Single-threaded: every method runs on the replica's event loop.
 */
final class TailReplier {
    /** Decisions remembered: far more than a leader can have waiting for an answer at once. */
    private static final int REMEMBERED = 4096;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** A put the leader asked us to answer: its log position and its client. */
    record Duty(long term, long index, String client, String mid) {}

    private record Position(long term, long index) {}

    /** true: we answered the client; false: we declined, and the leader answers. */
    private final Map<Position, Boolean> decided = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Position, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };
    private final List<Position> repliedToReport = new ArrayList<>();
    private final List<Position> declinedToReport = new ArrayList<>();

    /**
     * Decides the duties {@code rd} of an append of {@code term} that reached us at the end of a
     * chain. {@code matches} holds, per follower (us among them), the highest match index of this
     * term's successful answers to the leader that travel on from here: one follower counts once,
     * however many answers it sent; {@code quorum} counts the leader too. Returns the duties whose
     * clients we must answer now; the rest are declined.
     */
    List<Duty> decide(long term, JsonNode rd, Map<String, Long> matches, int quorum) {
        List<Duty> answer = new ArrayList<>();
        for (Duty d : duties(rd)) {
            if (d.term() != term) continue; // only the leader of the append's own term designates
            Position p = new Position(d.term(), d.index());
            if (decided.containsKey(p)) continue;
            long stored = 1 + matches.values().stream().filter(m -> m >= d.index()).count();
            boolean committed = stored >= quorum;
            decided.put(p, committed);
            (committed ? repliedToReport : declinedToReport).add(p);
            if (committed) answer.add(d);
        }
        return answer;
    }

    /** The leader asks what became of duties {@code rq}: any we never received are declined now. */
    void asked(JsonNode rq) {
        if (rq == null || !rq.isArray()) return;
        for (JsonNode q : rq) {
            if (!q.isArray() || q.size() != 2) continue;
            Position p = new Position(q.get(0).asLong(), q.get(1).asLong());
            Boolean replied = decided.putIfAbsent(p, false);
            (replied != null && replied ? repliedToReport : declinedToReport).add(p);
        }
    }

    /**
     * Adds what the leader has not been told yet to {@code answer}, our next answer to it, as
     * {@code "rs": {"r": [[term, index], ...], "d": [...]}} (replied, declined).
     */
    void report(ObjectNode answer) {
        if (repliedToReport.isEmpty() && declinedToReport.isEmpty()) return;
        ObjectNode rs = answer.has("rs") && answer.get("rs").isObject() ? (ObjectNode) answer.get("rs") : answer.putObject("rs");
        append(rs, "r", repliedToReport);
        append(rs, "d", declinedToReport);
        repliedToReport.clear();
        declinedToReport.clear();
    }

    private static void append(ObjectNode rs, String field, List<Position> positions) {
        if (positions.isEmpty()) return;
        ArrayNode list = rs.has(field) && rs.get(field).isArray() ? (ArrayNode) rs.get(field) : rs.putArray(field);
        for (Position p : positions) list.add(F.arrayNode().add(p.term()).add(p.index()));
    }

    private static boolean isId(String id) {
        try {
            Ids.parse(id);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code "rd": [[term, index, client, MID], ...]}; malformed items are skipped. */
    static List<Duty> duties(JsonNode rd) {
        List<Duty> out = new ArrayList<>();
        if (rd == null || !rd.isArray()) return out;
        for (JsonNode d : rd) {
            if (!d.isArray() || d.size() != 4 || !d.get(0).canConvertToLong() || !d.get(1).canConvertToLong()
                    || !d.get(2).isTextual() || !d.get(3).isTextual() || !isId(d.get(2).asText())) {
                continue;
            }
            out.add(new Duty(d.get(0).asLong(), d.get(1).asLong(), d.get(2).asText(), d.get(3).asText()));
        }
        return out;
    }
}
