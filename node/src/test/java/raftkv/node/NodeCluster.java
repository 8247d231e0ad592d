package raftkv.node;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.random.RandomGeneratorFactory;

import raftkv.raft.Configuration;
import raftkv.raft.Message;
import raftkv.raft.Role;

/** Real nodes on virtual time with a 1 ms network, for tests. Crashed nodes keep their storage. */
final class NodeCluster {
    final VirtualScheduler time = new VirtualScheduler();
    final Map<Integer, RaftNode> nodes = new TreeMap<>();
    final Map<Integer, MemoryStorage> disks = new TreeMap<>();
    final Set<Integer> down = new HashSet<>();
    Set<Integer> side = null;
    private final Configuration members;
    private final long seed;
    private int starts;
    final NodeConfig base;

    NodeCluster(int n, long seed, long snapshotEvery) {
        this(n, seed, NodeConfig.defaults(0).withSnapshotEvery(snapshotEvery));
    }

    NodeCluster(int n, long seed, NodeConfig base) {
        Set<Integer> ids = new HashSet<>();
        for (int i = 1; i <= n; i++) ids.add(i);
        this.members = Configuration.ofVoters(ids);
        this.seed = seed;
        this.base = base;
        for (int i = 1; i <= n; i++) {
            disks.put(i, new MemoryStorage());
            start(i);
        }
    }

    private void start(int id) {
        down.remove(id);
        int incarnation = ++starts;
        RaftNode[] self = new RaftNode[1];
        EventLoop loop = time.loop(() -> nodes.get(id) == self[0] && !down.contains(id));
        NodeConfig cfg = base.withRaft(base.raft().withElectionTicks(10, 1)).withRaft(
                new raftkv.raft.RaftConfig(id, 10, 1, 64, 1 << 20, 1 << 20, true, true));
        self[0] = new RaftNode(cfg, members, loop, this::deliver, disks.get(id),
                RandomGeneratorFactory.of("L64X128MixRandom").create(seed * 1000 + incarnation));
        nodes.put(id, self[0]);
        self[0].start();
    }

    private void deliver(Message m) {
        if (down.contains(m.from())) return;
        if (side != null && side.contains(m.from()) != side.contains(m.to())) return;
        time.after(1, () -> {
            RaftNode to = nodes.get(m.to());
            if (to != null && !down.contains(m.to())) to.receive(m);
        });
    }

    void crash(int id) {
        down.add(id);
        nodes.get(id).stop();
    }

    void restart(int id) {
        start(id);
    }

    int leader() {
        for (var e : nodes.entrySet()) {
            if (!down.contains(e.getKey()) && e.getValue().role() == Role.LEADER
                    && (side == null || side.contains(e.getKey()) == sideOfMajority())) {
                return e.getKey();
            }
        }
        return -1;
    }

    private boolean sideOfMajority() {
        return side.size() * 2 > nodes.size();
    }

    int awaitLeader() {
        for (int i = 0; i < 200; i++) {
            time.runFor(10);
            int l = leader();
            if (l != -1) return l;
        }
        throw new AssertionError("no leader");
    }

    /** Submits on a node and runs virtual time until answered (or 10 s pass). */
    Reply call(int at, Request req) {
        List<Reply> out = new ArrayList<>();
        time.at(time.nowMillis(), () -> nodes.get(at).submit(req, out::add));
        for (int i = 0; i < 10_000 && out.isEmpty(); i++) time.runFor(1);
        if (out.size() != 1) throw new AssertionError("expected one reply, got " + out);
        return out.getFirst();
    }
}
