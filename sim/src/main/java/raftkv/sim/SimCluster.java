package raftkv.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

import raftkv.node.NodeConfig;
import raftkv.node.RaftNode;
import raftkv.node.Reply;
import raftkv.node.Request;
import raftkv.node.Storage;
import raftkv.node.VirtualScheduler;
import raftkv.raft.Configuration;
import raftkv.raft.DeliberateBug;
import raftkv.raft.Message;
import raftkv.raft.Role;
import raftkv.storage.WalOptions;

/**
 * N real {@link RaftNode}s on one virtual clock, wired through the {@link SimNetwork}, each with a
 * {@link SimDisk} (the storage module's DurableStorage over simulated files) that survives its
 * crashes. Node ids are 1..n. A node whose storage refuses to open (a bit flipped inside its log)
 * is lost: it stays down for the rest of the run, as a node that lost its log must never rejoin
 * under the same id (it could vote twice in a term).
 */
final class SimCluster implements ClientPort {
    private final VirtualScheduler time;
    private final SimNetwork network;
    private final InvariantMonitor monitor;
    private final Trace trace;
    private final RandomGenerator seeds;
    private final NodeConfig baseConfig;
    private final Configuration members;
    private final Set<DeliberateBug> bugs;
    private final boolean ackBeforeFsync;
    private final int n;
    private final SimDisk[] disks;
    /** A bit was flipped inside its log: it will not run again (counted against the majority at once). */
    private final boolean[] lost;
    /** Its storage refused to open: it stays down. */
    private final boolean[] refused;
    private final SimLoop[] loops;
    private final RaftNode[] nodes;
    /** Peer messages a node produced in its current task; sent, sorted by receiver, when the task ends. */
    private final List<List<Message>> outboxes = new ArrayList<>();

    SimCluster(int n, VirtualScheduler time, SimNetwork network, InvariantMonitor monitor, Trace trace,
               RandomGenerator seeds, NodeConfig baseConfig, Set<DeliberateBug> bugs) {
        this(n, time, network, monitor, trace, seeds, baseConfig, bugs, false, false);
    }

    /**
     * {@code slowDisks}: fsyncs of 5-40 ms (now and then up to 100), slower than the network, as
     * disks often are; only then can an acknowledgement that did not wait for its fsync show.
     * Otherwise 1-5 ms (now and then up to 30). {@code ackBeforeFsync}: a deliberate storage bug in
     * every disk, for tests of the harness.
     */
    SimCluster(int n, VirtualScheduler time, SimNetwork network, InvariantMonitor monitor, Trace trace,
               RandomGenerator seeds, NodeConfig baseConfig, Set<DeliberateBug> bugs, boolean slowDisks,
               boolean ackBeforeFsync) {
        this.ackBeforeFsync = ackBeforeFsync;
        this.n = n;
        this.time = time;
        this.network = network;
        this.monitor = monitor;
        this.trace = trace;
        this.seeds = seeds;
        this.baseConfig = baseConfig;
        this.bugs = bugs;
        Set<Integer> ids = new TreeSet<>();
        for (int i = 1; i <= n; i++) ids.add(i);
        this.members = Configuration.ofVoters(ids);
        this.disks = new SimDisk[n + 1];
        this.lost = new boolean[n + 1];
        this.refused = new boolean[n + 1];
        this.loops = new SimLoop[n + 1];
        this.nodes = new RaftNode[n + 1];
        for (int i = 0; i <= n; i++) outboxes.add(new ArrayList<>());
        RandomGenerator diskRng = derive(seeds);
        // small segments (1-16 KiB), so that logs roll over, and compaction deletes whole segments
        WalOptions wal = WalOptions.withSegmentBytes(1024L << diskRng.nextInt(5));
        // fsyncs long enough for crashes to catch writes in flight
        LongSupplier fsync = slowDisks
                ? () -> diskRng.nextInt(10) == 0 ? diskRng.nextInt(40, 101) : diskRng.nextInt(5, 41)
                : () -> diskRng.nextInt(10) == 0 ? diskRng.nextInt(5, 31) : diskRng.nextInt(1, 6);
        for (int i = 1; i <= n; i++) {
            int id = i;
            disks[i] = new SimDisk(derive(diskRng), wal, time, fsync, trace, "disk " + i,
                    problem -> monitor.defect("node " + id + " " + problem), monitor::violate, ackBeforeFsync);
        }
    }

    static RandomGenerator derive(RandomGenerator parent) {
        return RandomGeneratorFactory.of("L64X128MixRandom").create(parent.nextLong());
    }

    void startAll() {
        for (int i = 1; i <= n; i++) start(i);
    }

    private void start(int id) {
        SimLoop loop = new SimLoop(time, e -> monitor.violate("node " + id + " threw " + e), () -> flushOutbox(id));
        NodeConfig cfg = baseConfig.withRaft(baseConfig.raft().withId(id));
        Storage storage = disks[id].open(loop);
        if (storage == null) {
            lost[id] = true;
            refused[id] = true;
            trace.event(time.nowMillis(), "node " + id + " stays down for the rest of the run");
            return;
        }
        RaftNode node = new RaftNode(cfg, members, loop, m -> sendPeer(id, m), storage, derive(seeds));
        node.setListener(monitor.listenerFor(id));
        node.injectBugs(bugs);
        loops[id] = loop;
        nodes[id] = node;
        loop.deliver(node::start);
        trace.event(time.nowMillis(), "start " + id);
    }

    private void sendPeer(int from, Message m) {
        outboxes.get(from).add(m);
    }

    /**
     * The core iterates its peers in the order of a {@code Set.copyOf}, which differs from one JVM
     * to the next (the JDK salts immutable-set iteration per process). Sending in receiver order
     * (stable, so each link keeps its own order) keeps a seed's run the same in every JVM.
     */
    private void flushOutbox(int from) {
        List<Message> out = outboxes.get(from);
        if (out.isEmpty()) return;
        List<Message> sorted = new ArrayList<>(out);
        out.clear();
        sorted.sort(Comparator.comparingInt(Message::to));
        for (Message m : sorted) {
            network.send(from, m.to(), MessageText.of(m), () -> {
                if (up(m.to())) loops[m.to()].deliver(() -> nodes[m.to()].receive(m));
            });
        }
    }

    @Override
    public int nodeCount() {
        return n;
    }

    @Override
    public void send(int client, int node, Request request, Consumer<Reply> onReply) {
        int endpoint = 100 + client;
        network.send(endpoint, node, "request " + request, () -> {
            if (!up(node)) return;
            loops[node].deliver(() -> nodes[node].submit(request,
                    reply -> network.send(node, endpoint, "reply " + reply, () -> onReply.accept(reply))));
        });
    }

    boolean up(int id) {
        return loops[id] != null && loops[id].alive();
    }

    boolean paused(int id) {
        return up(id) && loops[id].paused();
    }

    /** The process dies: its loop stops and every write it had not fsynced is lost or torn. */
    void crash(int id) {
        if (!up(id)) return;
        nodes[id].stop();
        loops[id].kill();
        disks[id].crash();
        trace.event(time.nowMillis(), "crash " + id);
    }

    /**
     * Flips a bit inside the log of crashed node {@code id}, if losing it for good still leaves a
     * majority of the cluster that can run; its next start must refuse. Returns whether it did.
     */
    boolean corrupt(int id, RandomGenerator rng) {
        if (up(id) || lost[id]) return false;
        int lostAfter = 1;
        for (int i = 1; i <= n; i++) if (lost[i]) lostAfter++;
        if (n - lostAfter < n / 2 + 1) return false;
        if (!disks[id].flip(rng)) return false;
        lost[id] = true; // decided now: nothing may count on it coming back
        return true;
    }

    void restart(int id) {
        if (up(id)) return;
        if (refused[id]) return;
        start(id);
    }

    void pause(int id) {
        if (!up(id) || loops[id].paused()) return;
        loops[id].pause();
        trace.event(time.nowMillis(), "pause " + id);
    }

    void resume(int id) {
        if (!paused(id)) return;
        int backlog = loops[id].resume();
        trace.event(time.nowMillis(), "resume " + id + " backlog " + backlog);
    }

    /** A node that is up, not paused, and believes it leads (-1: none). Lowest id wins ties. */
    int leader() {
        for (int i = 1; i <= n; i++) {
            if (up(i) && !paused(i) && nodes[i].role() == Role.LEADER) return i;
        }
        return -1;
    }

    RaftNode node(int id) {
        return nodes[id];
    }

    int size() {
        return n;
    }

    /** Writes issued by running nodes and not yet synced. */
    int writesInFlight() {
        int total = 0;
        for (int i = 1; i <= n; i++) if (up(i)) total += disks[i].writesInFlight();
        return total;
    }

    boolean lost(int id) {
        return lost[id];
    }

    /** Storage outcomes summed over the nodes. */
    DiskStats diskStats() {
        int inFlight = 0;
        int recoveries = 0;
        int torn = 0;
        int refused = 0;
        for (int i = 1; i <= n; i++) {
            inFlight += disks[i].inFlightAtCrashes();
            recoveries += disks[i].recoveries();
            torn += disks[i].tornTailsCut();
            refused += disks[i].refusedStarts();
        }
        return new DiskStats(inFlight, recoveries, torn, refused);
    }
}
