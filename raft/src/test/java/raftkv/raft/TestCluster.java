package raftkv.raft;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * Several cores wired together in one thread, for tests. Messages wait in a FIFO queue until
 * {@link #deliverAll()}; storage is a perfect in-memory disk (each Ready is persisted at once).
 * Nodes can be crashed (losing nothing that was persisted) and the network cut by a filter.
 */
final class TestCluster {
    final Map<Integer, RaftCore> cores = new TreeMap<>();
    final Map<Integer, Disk> disks = new TreeMap<>();
    final Map<Integer, List<Entry>> applied = new TreeMap<>();
    final Map<Integer, List<ReadState>> reads = new TreeMap<>();
    /**
     * Each node's state machine: position i holds "term:command" of the entry applied at index i+1,
     * so a snapshot restore (whose data encodes that list) and a restart keep it exact.
     */
    final Map<Integer, List<String>> machine = new TreeMap<>();
    /** Called for every entry a node applies (after the ordering check); tests add invariant checks. */
    java.util.function.BiConsumer<Integer, Entry> onApply = (id, e) -> { };
    final Set<Integer> down = new HashSet<>();
    final ArrayDeque<Message> network = new ArrayDeque<>();
    /**
     * Messages sent by an idle leader (RaftConfig.idleSlowdown): the course replica's transport
     * marks them so, and the receiver hears that its leader is idle (see {@link #step}).
     */
    private final Set<Message> sentWhileIdle = Collections.newSetFromMap(new IdentityHashMap<>());
    final List<Message> delivered = new ArrayList<>();
    private final Configuration conf;
    private final java.util.function.IntFunction<RaftConfig> configFor;
    private final RandomGenerator seeds;
    /** When set, writes complete only on {@link #completeWrite(int)}; see {@link #processReadies()}. */
    boolean asyncDisk;
    /** Each node's Ready whose write is in progress (its messages already went out). */
    final Map<Integer, Ready> writing = new TreeMap<>();
    /** Deliberate bugs every core (re)started from now on gets: to show that a test can fail. */
    Set<DeliberateBug> bugs = Set.of();
    /** Messages for which this returns false are dropped. */
    Predicate<Message> link = m -> true;

    /** What a node has on stable storage. */
    static final class Disk {
        HardState hardState = HardState.INITIAL;
        Snapshot snapshot;
        final List<Entry> log = new ArrayList<>();

        /**
         * Persists a snapshot the core installed. Entries after it stay only if the log holds the
         * snapshot's last entry (same index and term), mirroring what the core keeps in memory.
         */
        void install(Snapshot s) {
            long idx = s.meta().index();
            boolean keepSuffix = log.stream().anyMatch(x -> x.index() == idx && x.term() == s.meta().term());
            snapshot = s;
            if (keepSuffix) log.removeIf(x -> x.index() <= idx);
            else log.clear();
        }

        void append(List<Entry> entries) {
            for (Entry e : entries) {
                while (!log.isEmpty() && log.getLast().index() >= e.index()) log.removeLast();
                log.add(e);
            }
        }

        /** What a node persisted must be restorable: a log without gaps right after the snapshot. */
        void checkContiguous(int id, Ready rd) {
            long expected = snapshot == null ? 1 : snapshot.meta().index() + 1;
            for (Entry e : log) {
                if (e.index() != expected) {
                    throw new AssertionError("node " + id + " persisted a log with a gap at " + expected + " ("
                            + e + ") after " + rd.snapshot() + " + " + rd.entries() + "; disk " + log);
                }
                expected++;
            }
        }

        RestoredState restored() {
            return new RestoredState(hardState, snapshot, log);
        }
    }

    TestCluster(int n) {
        this(n, RaftConfig::defaults, 42);
    }

    TestCluster(int n, java.util.function.IntFunction<RaftConfig> configFor, long seed) {
        Set<Integer> ids = new HashSet<>();
        for (int i = 1; i <= n; i++) ids.add(i);
        this.conf = Configuration.ofVoters(ids);
        this.configFor = configFor;
        this.seeds = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        for (int i = 1; i <= n; i++) {
            disks.put(i, new Disk());
            start(i);
        }
    }

    private void start(int id) {
        RandomGenerator rng = RandomGeneratorFactory.of("L64X128MixRandom").create(seeds.nextLong());
        RaftCore core = new RaftCore(configFor.apply(id), conf, rng, disks.get(id).restored());
        if (!bugs.isEmpty()) core.injectBugs(bugs);
        cores.put(id, core);
        applied.put(id, new ArrayList<>());
        machine.put(id, decodeMachine(disks.get(id).snapshot));
        reads.put(id, new ArrayList<>());
    }

    RaftCore core(int id) {
        return cores.get(id);
    }

    /**
     * Handles every pending Ready of every live node. With {@link #asyncDisk}, a Ready's messages go
     * out at once but its write waits for {@link #completeWrite(int)}, while the node keeps stepping
     * (as with a real disk); the node's next Ready waits for that write.
     */
    void processReadies() {
        boolean again = true;
        while (again) {
            again = false;
            for (var e : cores.entrySet()) {
                int id = e.getKey();
                RaftCore c = e.getValue();
                if (down.contains(id)) continue;
                while (!writing.containsKey(id) && c.hasReady()) {
                    again = true;
                    Ready rd = c.ready();
                    send(c, rd.messages());
                    if (asyncDisk) {
                        writing.put(id, rd);
                    } else {
                        persistAndAdvance(id, rd);
                    }
                }
            }
        }
    }

    /** The disk finished the write of {@code id}'s outstanding Ready (if any). */
    void completeWrite(int id) {
        Ready rd = writing.remove(id);
        if (rd == null || down.contains(id)) return;
        persistAndAdvance(id, rd);
        processReadies();
    }

    /** Finishes every outstanding write and goes back to a synchronous disk. */
    void syncDisks() {
        asyncDisk = false;
        for (int id : List.copyOf(writing.keySet())) completeWrite(id);
    }

    private void persistAndAdvance(int id, Ready rd) {
        RaftCore c = cores.get(id);
        Disk d = disks.get(id);
        if (rd.snapshot() != null) {
            d.install(rd.snapshot());
            applied.get(id).clear();
            machine.put(id, decodeMachine(rd.snapshot()));
        }
        if (rd.hardState() != null) d.hardState = rd.hardState();
        d.append(rd.entries());
        d.checkContiguous(id, rd);
        send(c, rd.messagesAfterPersist());
        applied.get(id).addAll(rd.committed());
        for (Entry x : rd.committed()) apply(id, x);
        reads.get(id).addAll(rd.readStates());
        c.advance(rd);
    }

    private void send(RaftCore from, List<Message> messages) {
        network.addAll(messages);
        if (from.idle()) sentWhileIdle.addAll(messages);
    }

    /** Delivers {@code m}, with what a transport says of it: whether the leader that sent it is idle. */
    void step(Message m) {
        RaftCore to = cores.get(m.to());
        to.step(m);
        if (m.from() == to.leader()) to.hintLeaderIdle(sentWhileIdle.contains(m));
    }

    /** Delivers messages (and the messages they cause) until the network is quiet. */
    void deliverAll() {
        processReadies();
        int guard = 0;
        while (!network.isEmpty()) {
            if (++guard > 1_000_000) throw new IllegalStateException("message storm");
            Message m = network.pollFirst();
            if (down.contains(m.to()) || down.contains(m.from()) || !link.test(m)) continue;
            delivered.add(m);
            step(m);
            processReadies();
        }
    }

    private void apply(int id, Entry e) {
        List<String> m = machine.get(id);
        if (e.index() != m.size() + 1) {
            throw new AssertionError("node " + id + " applied index " + e.index() + " right after " + m.size());
        }
        m.add(e.term() + ":" + new String(e.data(), StandardCharsets.UTF_8));
        onApply.accept(id, e);
    }

    static Snapshot encodeMachine(SnapshotMeta meta, List<String> upTo) {
        return new Snapshot(meta, String.join("\n", upTo).getBytes(StandardCharsets.UTF_8));
    }

    static List<String> decodeMachine(Snapshot s) {
        if (s == null || s.data().length == 0) return new ArrayList<>();
        return new ArrayList<>(List.of(new String(s.data(), StandardCharsets.UTF_8).split("\n", -1)));
    }

    /**
     * The node captures its state machine up to what it applied in a snapshot, persists it, and
     * compacts its log (what a runtime does). Returns the snapshot index, or -1 if nothing new.
     */
    long compact(int id) {
        RaftCore c = cores.get(id);
        long idx = machine.get(id).size(); // what the state machine applied (a Ready may still be in flight)
        if (idx <= c.status().snapshotIndex()) return -1;
        Snapshot s = encodeMachine(new SnapshotMeta(idx, c.termAt(idx), c.configuration()),
                machine.get(id).subList(0, (int) idx));
        Disk d = disks.get(id);
        d.snapshot = s;
        d.log.removeIf(x -> x.index() <= idx);
        c.compact(idx, s.data());
        return idx;
    }

    void tick(int id) {
        cores.get(id).tick();
        processReadies();
    }

    /** Ticks every live node {@code n} times, delivering messages after each round. */
    void tickAll(int n) {
        for (int i = 0; i < n; i++) {
            for (int id : cores.keySet()) if (!down.contains(id)) cores.get(id).tick();
            deliverAll();
        }
    }

    /** Makes {@code id} campaign at once (as if its election timer fired) and settles the network. */
    void campaign(int id) {
        RaftCore c = cores.get(id);
        for (int i = 0; i < 100 && c.role() != Role.PRE_CANDIDATE && c.role() != Role.CANDIDATE
                && c.role() != Role.LEADER; i++) {
            c.tick();
        }
        deliverAll();
    }

    int leader() {
        int found = -1;
        for (var e : cores.entrySet()) {
            if (down.contains(e.getKey())) continue;
            if (e.getValue().role() == Role.LEADER) {
                if (found == -1 || cores.get(found).term() < e.getValue().term()) found = e.getKey();
            }
        }
        return found;
    }

    /** Ticks until some live node leads and the others follow it. */
    int electLeader() {
        for (int i = 0; i < 1000; i++) {
            int l = leader();
            if (l != -1 && cores.entrySet().stream().filter(e -> !down.contains(e.getKey()))
                    .allMatch(e -> e.getValue().leader() == l || !link.test(new Message.TimeoutNow(l, e.getKey(), 0)))) {
                return l;
            }
            tickAll(1);
        }
        throw new AssertionError("no leader elected");
    }

    ProposeResult propose(int id, String command) {
        ProposeResult r = cores.get(id).propose(command.getBytes(StandardCharsets.UTF_8));
        deliverAll();
        return r;
    }

    /** Commands applied by a node, in order, without no-ops. */
    List<String> appliedCommands(int id) {
        List<String> out = new ArrayList<>();
        for (Entry e : applied.get(id)) if (!e.isNoop()) out.add(new String(e.data(), StandardCharsets.UTF_8));
        return out;
    }

    /** The node stops; a write in progress is lost, as on a real crash. */
    void crash(int id) {
        down.add(id);
        writing.remove(id);
    }

    /** Restarts a crashed node from its disk, as a new process would. */
    void restart(int id) {
        down.remove(id);
        start(id);
        processReadies();
    }

    /** Cuts the network into the given groups; nodes in different groups cannot talk. */
    void partition(Set<Integer> side) {
        link = m -> side.contains(m.from()) == side.contains(m.to());
    }

    void heal() {
        link = m -> true;
    }

    static Map<Integer, Long> terms(Map<Integer, RaftCore> cores) {
        Map<Integer, Long> t = new HashMap<>();
        cores.forEach((k, v) -> t.put(k, v.term()));
        return t;
    }
}
