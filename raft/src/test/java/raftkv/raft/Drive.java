package raftkv.raft;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.Set;
import java.util.TreeSet;
import java.util.random.RandomGeneratorFactory;

/**
 * Drives one core by hand, for unit tests that craft every message: build a core with a given
 * persisted state, take and advance all its Readies (as a runtime with a perfect disk would), and
 * pick messages out of them.
 */
final class Drive {
    private Drive() {}

    /** Every Ready a core produced in one {@link #flush}, flattened. */
    record Out(List<Ready> readies) {
        List<Message> messages() {
            List<Message> out = new ArrayList<>();
            for (Ready rd : readies) out.addAll(rd.messages());
            return out;
        }

        List<Message> afterPersist() {
            List<Message> out = new ArrayList<>();
            for (Ready rd : readies) out.addAll(rd.messagesAfterPersist());
            return out;
        }

        /** Both kinds of message, in the order the runtime sends them. */
        List<Message> all() {
            List<Message> out = new ArrayList<>();
            for (Ready rd : readies) {
                out.addAll(rd.messages());
                out.addAll(rd.messagesAfterPersist());
            }
            return out;
        }

        <T extends Message> List<T> sent(Class<T> type) {
            return all().stream().filter(type::isInstance).map(type::cast).toList();
        }

        <T extends Message> List<T> sent(Class<T> type, int to) {
            return sent(type).stream().filter(m -> m.to() == to).toList();
        }

        List<Entry> entries() {
            return readies.stream().flatMap(rd -> rd.entries().stream()).toList();
        }

        List<Entry> committed() {
            return readies.stream().flatMap(rd -> rd.committed().stream()).toList();
        }

        List<HardState> hardStates() {
            return readies.stream().map(Ready::hardState).filter(h -> h != null).toList();
        }

        List<ReadState> readStates() {
            return readies.stream().flatMap(rd -> rd.readStates().stream()).toList();
        }

        List<Snapshot> snapshots() {
            return readies.stream().map(Ready::snapshot).filter(s -> s != null).toList();
        }
    }

    static RaftConfig config(int id) {
        return RaftConfig.defaults(id);
    }

    static Configuration voters(int n) {
        Set<Integer> ids = new TreeSet<>();
        for (int i = 1; i <= n; i++) ids.add(i);
        return Configuration.ofVoters(ids);
    }

    /** Entries 1..terms.length with the given terms; entry i carries the command "e{i}". */
    static List<Entry> log(long... terms) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < terms.length; i++) {
            out.add(new Entry(i + 1, terms[i], ("e" + (i + 1)).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    static RaftCore core(RaftConfig cfg, int n, HardState hs, List<Entry> log) {
        return new RaftCore(cfg, voters(n), RandomGeneratorFactory.of("L64X128MixRandom").create(cfg.id()),
                new RestoredState(hs, null, log));
    }

    static RaftCore core(RaftConfig cfg, int n) {
        return core(cfg, n, HardState.INITIAL, List.of());
    }

    /** Takes and advances every pending Ready. */
    static Out flush(RaftCore c) {
        List<Ready> out = new ArrayList<>();
        while (c.hasReady()) {
            Ready rd = c.ready();
            out.add(rd);
            c.advance(rd);
        }
        return new Out(out);
    }

    static Out step(RaftCore c, Message m) {
        c.step(m);
        return flush(c);
    }

    static Out tick(RaftCore c, int times) {
        List<Ready> out = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            c.tick();
            out.addAll(flush(c).readies());
        }
        return new Out(out);
    }

    /** Ticks until the core starts a campaign (pre-vote or real); returns what it sent. */
    static Out timeOut(RaftCore c) {
        List<Ready> out = new ArrayList<>();
        for (int i = 0; i < 1000 && c.role() == Role.FOLLOWER; i++) {
            c.tick();
            out.addAll(flush(c).readies());
        }
        if (c.role() == Role.FOLLOWER) throw new AssertionError("node " + c.id() + " never campaigned");
        return new Out(out);
    }

    /**
     * Makes {@code c} the leader: times it out and grants it the votes of {@code voters}, pre-vote
     * and real. Returns the leader's output after winning (its no-op and first appends).
     */
    static Out elect(RaftCore c, int... voters) {
        timeOut(c);
        if (c.role() == Role.PRE_CANDIDATE) {
            long t = c.term() + 1;
            for (int v : voters) {
                c.step(new Message.VoteResponse(v, c.id(), t, true, true));
                if (c.role() != Role.PRE_CANDIDATE) break;
            }
            flush(c);
        }
        List<Ready> out = new ArrayList<>();
        for (int v : voters) {
            if (c.role() != Role.CANDIDATE) break;
            c.step(new Message.VoteResponse(v, c.id(), c.term(), true, false));
        }
        out.addAll(flush(c).readies());
        if (c.role() != Role.LEADER) throw new AssertionError("node " + c.id() + " did not win: " + c.role());
        return new Out(out);
    }

    /** Acknowledges, on behalf of {@code from}, everything the leader sent it in {@code out}. */
    static Out ackAll(RaftCore leader, Out out, int from) {
        List<Ready> readies = new ArrayList<>();
        for (Message.AppendRequest r : out.sent(Message.AppendRequest.class, from)) {
            leader.step(new Message.AppendResponse(from, leader.id(), r.term(), true, r.lastIndex(), 0, 0));
            readies.addAll(flush(leader).readies());
        }
        return new Out(readies);
    }

    /**
     * Delivers messages among {@code cores} in FIFO order until none is left: first {@code initial}
     * and whatever the cores have pending, then everything that causes. A message to a core not in
     * the map is lost; {@code network} may rewrite a message or drop it (by returning null).
     * Returns what was delivered.
     */
    static List<Message> exchange(Map<Integer, RaftCore> cores, Collection<Message> initial,
                                  UnaryOperator<Message> network) {
        ArrayDeque<Message> queue = new ArrayDeque<>(initial);
        for (RaftCore c : cores.values()) queue.addAll(flush(c).all());
        List<Message> delivered = new ArrayList<>();
        while (!queue.isEmpty()) {
            if (delivered.size() > 100_000) throw new AssertionError("message storm");
            Message m = queue.pollFirst();
            RaftCore to = cores.get(m.to());
            if (to == null) continue;
            m = network.apply(m);
            if (m == null) continue;
            delivered.add(m);
            to.step(m);
            queue.addAll(flush(to).all());
        }
        return delivered;
    }

    static List<Message> exchange(Map<Integer, RaftCore> cores, Collection<Message> initial) {
        return exchange(cores, initial, UnaryOperator.identity());
    }

    static Map<Integer, RaftCore> group(RaftCore... cores) {
        Map<Integer, RaftCore> out = new TreeMap<>();
        for (RaftCore c : cores) out.put(c.id(), c);
        return out;
    }

    /** The terms of a core's log from {@code from} to its last index. */
    static List<Long> terms(RaftCore c, long from) {
        List<Long> out = new ArrayList<>();
        for (long i = from; i <= c.lastIndex(); i++) out.add(c.termAt(i));
        return out;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The followers answer at once, with success up to its last entry, each append and heartbeat
     * in {@code sent} that {@code delivered} lets through; what the leader sends back is not
     * answered (it goes out with the next tick's messages).
     */
    static void answerOnce(RaftCore leader, Collection<Message> sent, java.util.function.Predicate<Message> delivered) {
        for (Message m : sent) {
            if (!delivered.test(m)) continue;
            switch (m) {
                case Message.AppendRequest r -> leader.step(new Message.AppendResponse(r.to(), r.from(), r.term(), true,
                        r.lastIndex(), 0, 0, r.round()));
                case Message.Heartbeat h -> leader.step(new Message.HeartbeatResponse(h.to(), h.from(), h.term(), h.round()));
                default -> { }
            }
        }
    }

    /**
     * The followers answer every append (success, up to its last entry) and heartbeat in {@code
     * sent} at once, and every one the leader sends in reply, until it sends none.
     */
    static void answerAll(RaftCore leader, List<Message> sent) {
        List<Message> pending = new ArrayList<>(sent);
        while (!pending.isEmpty()) {
            switch (pending.removeFirst()) {
                case Message.AppendRequest r -> leader.step(new Message.AppendResponse(r.to(), r.from(), r.term(), true,
                        r.lastIndex(), 0, 0, r.round()));
                case Message.Heartbeat h -> leader.step(new Message.HeartbeatResponse(h.to(), h.from(), h.term(), h.round()));
                default -> { }
            }
            pending.addAll(flush(leader).all());
        }
    }
}
