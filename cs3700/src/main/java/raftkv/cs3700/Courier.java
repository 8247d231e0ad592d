package raftkv.cs3700;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import raftkv.raft.Message;

/**
 * A replica's outgoing peer mail. The course simulator counts messages between replicas, not
 * bytes, so the courier sends as few as it can:
 * <ul>
 *   <li>what one loop turn sends to one peer travels as one simulator message (a "bundle");</li>
 *   <li>requests to two peers that both answer travel as a <em>relay chain</em>: us → a → b → us.
 *       {@code a} handles its part and adds its answer to what goes on to {@code b}; {@code b} adds
 *       its own; both answers come back in one message. Three counted messages instead of four
 *       for a leader's append to a quorum of five, or a heartbeat to two followers. Raft is
 *       correct whatever delay or route a message takes, so an answer that travels through
 *       another peer changes only timing;</li>
 *   <li>requests to three peers that all offer log entries travel as a <em>star</em>: us → hub,
 *       then hub → b → us and hub → c → us, the hub's answer going both ways (see {@link #star});</li>
 *   <li>vote requests go directly, never chained (see {@code askedForVotes}); so do heartbeats
 *       under heavy loss (see {@code heavyLoss}), and everything while our node probes which
 *       followers it can reach (see {@code direct});</li>
 *   <li>a peer that owes an answer for longer than {@code suspectAfterNanos} (dead, cut off, or a
 *       loss) is sent to directly, not chained, where it would take its partner's answer down
 *       with it. It is trusted again once anything from it arrives.</li>
 * </ul>
 * Single-threaded: every method runs on the replica's event loop.
 */
final class Courier {
    /** No bundle larger than this: a datagram must stay under 64 KiB (one message alone always is). */
    static final int MAX_BUNDLE_CHARS = 56_000;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** A chain's tail is handed puts only if heard from this recently: followers in rounds answer every 0.1 s or so. */
    private static final long TAIL_HEARD_WITHIN_NANOS = 300_000_000L;

    /** Messages travelling on: to {@code route.get(0)} next, then along the rest of the route. */
    private record Parcel(List<ObjectNode> messages, List<String> route) {}

    private final String me;
    private final Consumer<ObjectNode> wire;
    private final Supplier<String> leaderBelief;
    private final LongSupplier nanoClock;
    private final long suspectAfterNanos;
    /**
     * Whether our node leads through heavy loss. A chain's answers are lost together, and under
     * 30 % loss a chained heartbeat brings both answers back only a third of the time: the
     * leader then often hears from too few followers and steps down (check-quorum), and an
     * election costs more than the message a chain saves. So heartbeats then go directly; log
     * entries still travel in chains and stars, where a quorum needs the answers together anyway.
     */
    private final java.util.function.BooleanSupplier heavyLoss;
    /** This turn's messages from our own node, by receiver, in the order they were posted. */
    private final Map<String, List<ObjectNode>> outgoing = new LinkedHashMap<>();
    private final Set<String> owingAnswers = new LinkedHashSet<>();
    /**
     * Peers asked for a vote this turn: sent to directly. A campaign needs any majority to answer,
     * and a chain through a peer that is cut off (an election follows a partition more often than
     * not) would take the answer of one that is not down with it.
     */
    private final Set<String> askedForVotes = new LinkedHashSet<>();
    /** Peers this turn's messages offer log entries to. */
    private final Set<String> offeredEntries = new LinkedHashSet<>();
    private final List<Parcel> carried = new ArrayList<>();
    /** Per peer: since when it owes an answer (absent: it answered everything we sent). */
    private final Map<String, Long> awaitingSince = new HashMap<>();
    /** Per peer: when anything from it last arrived. */
    private final Map<String, Long> lastHeard = new HashMap<>();
    /** Which partners a chain should not have again: a chain of theirs came back from neither. */
    private final ChainPairings pairings;
    /** Sends a star of new entries again if it goes unanswered under heavy loss; by default never. */
    private RoundHedge hedge = RoundHedge.NONE;
    /** The highest log index a star has offered: a star offering none higher is a retry, not a new write. */
    private long highestOffered;
    /** Hands puts to the tail of a new write's chain, to answer their clients itself; by default never. */
    private TailDesignation tails = (tail, append, after) -> {};
    /**
     * Whether every message goes directly, none in a chain: our node, leading, probes which
     * followers it can reach ({@link raftkv.raft.RaftCore#probingFollowers}). By default never.
     */
    private java.util.function.BooleanSupplier direct = () -> false;

    /** Gives the tail of a relay chain the puts it may answer ({@link TailReplyLedger#designate}). */
    interface TailDesignation {
        /** The chain ends at {@code tail}; {@code append}, ours to it, offers entries first after {@code after}. */
        void designate(String tail, ObjectNode append, long after);
    }

    Courier(String me, Consumer<ObjectNode> wire, Supplier<String> leaderBelief, LongSupplier nanoClock,
            long suspectAfterNanos, java.util.function.BooleanSupplier heavyLoss) {
        this.me = me;
        this.wire = wire;
        this.leaderBelief = leaderBelief;
        this.nanoClock = nanoClock;
        this.suspectAfterNanos = suspectAfterNanos;
        this.heavyLoss = heavyLoss;
        this.pairings = new ChainPairings(nanoClock, peer -> lastHeard.getOrDefault(peer, Long.MIN_VALUE));
    }

    /** Under heavy loss, rounds of new entries are hedged by {@code hedge}. */
    Courier hedgedBy(RoundHedge hedge) {
        this.hedge = hedge;
        return this;
    }

    /** A new write's round that is one relay chain offers its puts to the chain's tail through {@code tails}. */
    Courier designatingTails(TailDesignation tails) {
        this.tails = tails;
        return this;
    }

    /** While {@code direct} holds, nothing is chained or sent as a star. */
    Courier directWhile(java.util.function.BooleanSupplier direct) {
        this.direct = direct;
        return this;
    }

    /** Our node sends {@code m}, encoded as {@code json}; it leaves with the next {@link #flush()}. */
    void post(Message m, ObjectNode json) {
        String to = Ids.format(m.to());
        outgoing.computeIfAbsent(to, k -> new ArrayList<>()).add(json);
        if (expectsAnswer(m)) owingAnswers.add(to);
        if (m instanceof Message.VoteRequest) askedForVotes.add(to);
        if (m instanceof Message.AppendRequest a && !a.entries().isEmpty()) offeredEntries.add(to);
    }

    /** Messages that arrived for others on {@code route}: they leave with the next flush, with our answers. */
    void carry(List<ObjectNode> messages, List<String> route) {
        if (route.isEmpty()) throw new IllegalArgumentException("nowhere to carry to");
        carried.add(new Parcel(List.copyOf(messages), List.copyOf(route)));
    }

    /** Something from {@code peer} arrived: it is alive and has answered. */
    void heard(String peer) {
        awaitingSince.remove(peer);
        lastHeard.put(peer, nanoClock.getAsLong());
        hedge.heard(peer);
    }

    /** Whether anything from {@code peer} arrived within the last {@code nanos}. */
    boolean heardWithin(String peer, long nanos) {
        Long heard = lastHeard.get(peer);
        return heard != null && nanoClock.getAsLong() - heard < nanos;
    }

    /** Whether {@code peer} is trusted to pass a chain on. */
    boolean trusted(String peer) {
        Long since = awaitingSince.get(peer);
        return since == null || nanoClock.getAsLong() - since < suspectAfterNanos;
    }

    /** Sends everything posted and carried since the last flush, in as few messages as it can. */
    void flush() {
        // Our own messages to anyone further along a carried route ride along: an answer to the
        // chain's origin reaches it one hop later, but costs no message of its own. (The branches
        // of a star all lead back to its origin: our answer rides along each.)
        Set<String> riding = new LinkedHashSet<>();
        for (Parcel p : carried) {
            List<ObjectNode> messages = new ArrayList<>(p.messages());
            for (String hop : p.route()) {
                List<ObjectNode> ours = outgoing.get(hop);
                if (ours != null) {
                    messages.addAll(ours);
                    riding.add(hop);
                }
            }
            if (!messages.isEmpty()) send(p.route().getFirst(), p.route().subList(1, p.route().size()), messages);
        }
        riding.forEach(outgoing::remove);
        carried.clear();
        long newWriteAfter = hedgeIfNewWrite();
        List<String> chainable = new ArrayList<>();
        boolean entriesOnly = !owingAnswers.isEmpty() && heavyLoss.getAsBoolean();
        boolean allDirect = !owingAnswers.isEmpty() && direct.getAsBoolean();
        for (String peer : owingAnswers) {
            if (!allDirect && outgoing.containsKey(peer) && trusted(peer) && !askedForVotes.contains(peer)
                    && (!entriesOnly || offeredEntries.contains(peer))) {
                chainable.add(peer);
            }
        }
        // Partners by how recently each was heard: a peer that has just gone quiet (not suspected
        // yet) is then paired with the other quietest, not with one that is surely alive; and not
        // again with a partner whose chain with it came back from neither, while another pairing
        // is possible (ChainPairings: after a partition, recency does not tell who was cut off).
        chainable.sort(byMostRecentlyHeard());
        // Entries offered to an odd number (3 or more) of peers: the last three go as a star, so
        // that every route back carries two answers and any one of them can make a quorum.
        boolean star = chainable.size() >= 3 && chainable.size() % 2 == 1
                && offeredEntries.contains(chainable.getLast());
        int paired = star ? chainable.size() - 3 : chainable.size();
        List<String> partners = pairings.order(chainable.subList(0, paired));
        for (int i = 0; i + 1 < partners.size(); i += 2) {
            String a = partners.get(i);
            String b = partners.get(i + 1);
            if (newWriteAfter >= 0 && !star && offeredEntries.size() == 2 && offeredEntries.contains(a)
                    && offeredEntries.contains(b) && heardWithin(b, TAIL_HEARD_WITHIN_NANOS)) {
                // The new write's one route: its tail hears of the commit a hop before we would.
                // (Not a tail we have not heard from lately: it may be dead, and we would wait
                // for its word on whether it answered.)
                appendTo(b).ifPresent(append -> tails.designate(b, append, newWriteAfter));
            }
            chain(a, b, outgoing.remove(a), outgoing.remove(b));
            pairings.chained(a, b);
        }
        if (star) {
            List<String> three = chainable.subList(paired, chainable.size());
            star(three.get(0), three.get(1), three.get(2));
        }
        outgoing.forEach((to, messages) -> send(to, List.of(), messages));
        long now = nanoClock.getAsLong();
        for (String peer : owingAnswers) awaitingSince.putIfAbsent(peer, now);
        outgoing.clear();
        owingAnswers.clear();
        askedForVotes.clear();
        offeredEntries.clear();
    }

    /**
     * Sends to three peers as a star: us -> hub, then hub -> b -> us and hub -> c -> us. Five
     * messages; the hub's answer travels back both ways, so either way back that gets through
     * brings two answers. (Two chains, us -> hub -> b -> us and us -> c -> hub -> us, cost six,
     * for a little more: under 30 % loss 57 % of rounds get through, against 52 %.)
     */
    private void star(String hub, String b, String c) {
        List<ObjectNode> messages = new ArrayList<>(outgoing.get(hub));
        messages.addAll(outgoing.get(b));
        messages.addAll(outgoing.get(c));
        if (messages.stream().mapToInt(m -> m.toString().length()).sum() > MAX_BUNDLE_CHARS) {
            // Too big for one datagram (a follower catching up): a chain and a direct message.
            chain(hub, b, outgoing.remove(hub), outgoing.remove(b));
            return;
        }
        outgoing.remove(hub);
        outgoing.remove(b);
        outgoing.remove(c);
        ObjectNode bundle = bundle(hub, List.of(), messages);
        ArrayNode fork = bundle.putArray("fork");
        fork.addArray().add(b).add(me);
        fork.addArray().add(c).add(me);
        wire.accept(bundle);
    }

    /**
     * Under heavy loss, a round that offers a new write's entries is hedged ({@link RoundHedge}).
     * A retry (entries offered before) is not: its reply is slow whatever happens. Returns the
     * highest index offered before this round if it offers a new write, else -1.
     */
    private long hedgeIfNewWrite() {
        if (offeredEntries.isEmpty()) return -1;
        List<ObjectNode> offered = new ArrayList<>();
        for (String peer : offeredEntries) offered.addAll(outgoing.getOrDefault(peer, List.of()));
        long highest = highestEntryIndex(offered);
        if (highest <= highestOffered) return -1;
        long before = highestOffered;
        highestOffered = highest;
        if (heavyLoss.getAsBoolean()) hedge.roundSent(Set.copyOf(offeredEntries));
        return before;
    }

    /** This turn's append with entries to {@code peer}, if any. */
    private java.util.Optional<ObjectNode> appendTo(String peer) {
        return outgoing.getOrDefault(peer, List.of()).stream()
                .filter(m -> "append".equals(m.path("type").asText()) && m.path("e").size() > 0).findFirst();
    }

    private java.util.Comparator<String> byMostRecentlyHeard() {
        return java.util.Comparator.comparing((String p) -> lastHeard.getOrDefault(p, Long.MIN_VALUE)).reversed();
    }

    /** The highest log index the appends among {@code messages} offer (0 if none). */
    private static long highestEntryIndex(List<ObjectNode> messages) {
        long highest = 0;
        for (ObjectNode m : messages) {
            if (!"append".equals(m.path("type").asText()) || !m.path("e").isArray()) continue;
            highest = Math.max(highest, m.path("pi").asLong() + m.path("e").size());
        }
        return highest;
    }

    /** Sends {@code forA} and {@code forB} around us -> a -> b -> us. */
    private void chain(String a, String b, List<ObjectNode> forA, List<ObjectNode> forB) {
        List<ObjectNode> messages = new ArrayList<>(forA);
        messages.addAll(forB);
        send(a, List.of(b, me), messages);
    }

    private void send(String next, List<String> via, List<ObjectNode> messages) {
        if (via.isEmpty() && messages.size() == 1) {
            wire.accept(messages.getFirst());
            return;
        }
        // Too much for one datagram (a follower catching up after a partition): in several, each
        // taking the same route. (One message alone always fits: no need to measure it.)
        List<ObjectNode> part = new ArrayList<>();
        int partChars = 0;
        for (ObjectNode m : messages) {
            int c = messages.size() == 1 ? 0 : m.toString().length();
            if (!part.isEmpty() && partChars + c > MAX_BUNDLE_CHARS) {
                wire.accept(bundle(next, via, part));
                part = new ArrayList<>();
                partChars = 0;
            }
            part.add(m);
            partChars += c;
        }
        wire.accept(via.isEmpty() && part.size() == 1 ? part.getFirst() : bundle(next, via, part));
    }

    private ObjectNode bundle(String next, List<String> via, List<ObjectNode> messages) {
        ObjectNode bundle = F.objectNode();
        bundle.put("src", me);
        bundle.put("dst", next);
        bundle.put("leader", leaderBelief.get());
        bundle.put("type", "bundle");
        ArrayNode route = bundle.putArray("via");
        via.forEach(route::add);
        bundle.putArray("m").addAll(messages);
        return bundle;
    }


    /** Requests whose receiver answers the sender; a TimeoutNow's receiver campaigns instead. */
    private static boolean expectsAnswer(Message m) {
        return switch (m) {
            case Message.VoteRequest r -> true;
            case Message.AppendRequest r -> true;
            case Message.Heartbeat h -> true;
            case Message.SnapshotChunk c -> true;
            case Message.VoteResponse r -> false;
            case Message.AppendResponse r -> false;
            case Message.HeartbeatResponse r -> false;
            case Message.SnapshotResponse r -> false;
            case Message.TimeoutNow t -> false;
        };
    }
}
