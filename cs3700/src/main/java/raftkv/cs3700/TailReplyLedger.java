package raftkv.cs3700;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import raftkv.node.Reply;

/**
 * The leader's side of tail replies (cs3700/REPLICA.md, "Tail replies"; the follower's side is
 * {@link TailReplier}). A put's entry offered first in a round that is one relay chain, us → a →
 * b → us, may be answered by {@code b}: it knows the entry committed as soon as it holds it with
 * {@code a}'s answer, one hop before we would learn it, and the lost hop back to us costs the
 * client nothing. So that exactly one of us answers, a put designated to a tail is answered by
 * us only once the tail has said it declined; until the tail has said either, our own answer
 * waits here, and our messages to the tail ask it ({@code "rq"}; see {@link #questionsFor}).
 * <p>
 * Reads must not miss a put whose client may already have its answer: a get for a key with a
 * designated put that our node has not applied yet waits until it has (or until we no longer
 * lead: a later leader serves reads only after committing in its own term, which commits all
 * that any tail can have answered).
 * <p>
 * Single-threaded: every method runs on the replica's event loop.
 */
final class TailReplyLedger {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** At most this many questions to one tail per message: the rest wait for the next. */
    private static final int QUESTIONS_PER_MESSAGE = 64;
    /**
     * A round has reached its tail, if it ever will, within this long (a relay hop takes about
     * 1 ms; rounds come every 100 ms or so, and a later one along the same chain arrives after it).
     */
    private static final long ROUND_ARRIVED_NANOS = 5_000_000L;

    private enum TailSaid { NOTHING, REPLIED, DECLINED }

    /** One of our puts, from its proposal until both its answer and (if designated) its tail's word are in. */
    private static final class Put {
        final ClientRequest request;
        final long term;
        final long index;
        String tail;
        long designatedAtNanos;
        TailSaid tailSaid = TailSaid.NOTHING;
        /** Our node's answer, kept while the tail has not said whether it replied. */
        Reply parked;

        Put(ClientRequest request, long term, long index) {
            this.request = request;
            this.term = term;
            this.index = index;
        }
    }

    /** A log position: an index alone is ambiguous once a later term of ours has reused it. */
    private record Position(long term, long index) {}

    private final Map<Position, Put> byPosition = new HashMap<>();
    private final Map<String, Put> byMid = new HashMap<>();
    /** Per key, the highest index of a designated put on it that may not be applied here yet. */
    private final Map<String, Long> designatedByKey = new HashMap<>();
    /** A get waiting until the log is applied here up to {@code index}: its key's handed-over puts when it came. */
    private record HeldRead(ClientRequest get, long index) {}

    /** Gets waiting for handed-over puts on their key to be applied here, in arrival order. */
    private final List<HeldRead> readsWaiting = new ArrayList<>();
    private final BiConsumer<ClientRequest, Reply> answer;
    private final Consumer<ClientRequest> serveRead;
    private final java.util.function.LongSupplier nanoClock;

    /**
     * @param answer    answers a put's client with our node's answer, once that is ours to give
     * @param serveRead serves a get that waited for a put on its key
     * @param nanoClock when a put was handed to a tail: it is not asked about before its round can have arrived
     */
    TailReplyLedger(BiConsumer<ClientRequest, Reply> answer, Consumer<ClientRequest> serveRead,
                    java.util.function.LongSupplier nanoClock) {
        this.answer = answer;
        this.serveRead = serveRead;
        this.nanoClock = nanoClock;
    }

    /** Our node, leading in {@code term}, proposed {@code put} at {@code index}. */
    void proposed(ClientRequest put, long index, long term) {
        Put p = new Put(put, term, index);
        byPosition.put(new Position(term, index), p);
        byMid.put(put.mid(), p);
    }

    /**
     * A round that is one relay chain to {@code tail} offers, for the first time, the entries of
     * {@code append} (the append to the tail, in our JSON) after index {@code after}: designates the
     * puts among them to the tail, in the append's {@code "rd"}. Returns how many.
     */
    int designate(String tail, ObjectNode append, long after) {
        long prev = append.path("pi").asLong();
        JsonNode entries = append.path("e");
        ArrayNode rd = null;
        for (int k = 0; k < entries.size(); k++) {
            long index = prev + 1 + k;
            Put p = byPosition.get(new Position(entries.get(k).path(0).asLong(), index));
            if (index <= after || p == null || p.tail != null) continue;
            p.tail = tail;
            p.designatedAtNanos = nanoClock.getAsLong();
            designatedByKey.merge(p.request.key(), index, Math::max);
            if (rd == null) rd = append.putArray("rd");
            rd.add(F.arrayNode().add(p.term).add(p.index).add(p.request.client()).add(p.request.mid()));
        }
        return rd == null ? 0 : rd.size();
    }

    /**
     * Our node answered {@code put}. Returns true if the client gets this answer from us now, as
     * without tail replies; false if the tail answered or may have, and we wait for its word.
     */
    boolean answerNow(ClientRequest put, Reply reply) {
        Put p = byMid.get(put.mid());
        if (p == null || p.request != put) return true;
        if (p.tail == null || p.tailSaid == TailSaid.DECLINED) {
            forget(p);
            return true;
        }
        if (p.tailSaid == TailSaid.REPLIED) {
            forget(p);
        } else {
            p.parked = reply;
        }
        return false;
    }

    /**
     * A get, while we lead and have applied the log up to {@code applied}: true if it must wait for
     * the puts on its key handed to tails so far; it is then served through {@code serveRead} once
     * they are applied (or we no longer lead). It waits without a limit of its own: a leader
     * whose rounds stall keeps it until they commit or it steps down.
     */
    boolean holdRead(ClientRequest get, long applied) {
        Long designated = designatedByKey.get(get.key());
        if (designated == null) return false;
        if (designated <= applied) {
            designatedByKey.remove(get.key());
            return false;
        }
        readsWaiting.add(new HeldRead(get, designated)); // not for puts handed over after it came
        return true;
    }

    /**
     * Our node has applied the log up to {@code applied}, and leads or not: serves the gets that
     * waited for a put now applied, or for a leader we no longer are.
     */
    void applied(long applied, boolean leading) {
        if (designatedByKey.isEmpty() && readsWaiting.isEmpty()) return;
        designatedByKey.values().removeIf(index -> !leading || index <= applied);
        List<ClientRequest> released = new ArrayList<>();
        readsWaiting.removeIf(held -> {
            if (leading && held.index() > applied) return false;
            released.add(held.get());
            return true;
        });
        released.forEach(serveRead);
    }

    /** What {@code tail} said of its duties: {@code "rs"} from one of its answers. */
    void heardFrom(String tail, JsonNode rs) {
        if (rs == null || !rs.isObject()) return;
        said(tail, rs.get("r"), TailSaid.REPLIED);
        said(tail, rs.get("d"), TailSaid.DECLINED);
    }

    private void said(String tail, JsonNode positions, TailSaid what) {
        if (positions == null || !positions.isArray()) return;
        for (JsonNode pos : positions) {
            if (!pos.isArray() || pos.size() != 2) continue;
            Put p = byPosition.get(new Position(pos.get(0).asLong(), pos.get(1).asLong()));
            if (p == null || !tail.equals(p.tail) || p.tailSaid != TailSaid.NOTHING) continue;
            p.tailSaid = what;
            if (p.parked != null) {
                Reply parked = p.parked;
                forget(p);
                if (what == TailSaid.DECLINED) answer.accept(p.request, parked);
            }
        }
    }

    /**
     * The duties of {@code tail} it has not told us about ({@code "rq"}): those our node has
     * answered, and those handed to it long enough ago for their round to have arrived (asked
     * sooner, a question that overtakes the round would make the tail decline a put it could have
     * answered). {@code parkedOnly}: only those our node has answered.
     */
    ArrayNode questionsFor(String tail, boolean parkedOnly) {
        ArrayNode rq = null;
        long now = nanoClock.getAsLong();
        for (Put p : byMid.values()) {
            if (!tail.equals(p.tail) || p.tailSaid != TailSaid.NOTHING) continue;
            if (p.parked == null && (parkedOnly || now - p.designatedAtNanos < ROUND_ARRIVED_NANOS)) continue;
            if (rq == null) rq = F.arrayNode();
            rq.add(F.arrayNode().add(p.term).add(p.index));
            if (rq.size() == QUESTIONS_PER_MESSAGE) break;
        }
        return rq;
    }

    /** The tails whose word a put of ours, committed or otherwise answered by our node, waits for. */
    java.util.Set<String> tailsOwingWord() {
        java.util.Set<String> tails = new java.util.TreeSet<>();
        for (Put p : byMid.values()) if (p.parked != null) tails.add(p.tail);
        return tails;
    }

    /**
     * {@code tail} has been silent so long that it is dead or cut off: we answer the puts we
     * waited on its word for that our node has committed. A tail answers only a put it could prove
     * committed, as it received the put's round; if it did, and its word was lost, and it then fell
     * silent for seconds, this answers that client twice. A put our node did not see committed
     * (it lost leadership) is left unanswered: answered redirect, its client would send it again,
     * and a second {@code ok} could follow the tail's.
     */
    void giveUpOn(String tail) {
        for (Put p : List.copyOf(byMid.values())) {
            if (tail.equals(p.tail) && p.parked != null) {
                Reply parked = p.parked;
                forget(p);
                if (parked instanceof Reply.Done) answer.accept(p.request, parked);
            }
        }
    }

    /** Puts still tracked: for tests. */
    int tracked() {
        return byMid.size();
    }

    private void forget(Put p) {
        byMid.remove(p.request.mid(), p);
        byPosition.remove(new Position(p.term, p.index), p);
    }
}
