package raftkv.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;
import raftkv.kv.Bytes;
import raftkv.kv.KvCommand;
import raftkv.kv.KvResult;
import raftkv.raft.Configuration;
import raftkv.raft.Message;
import raftkv.raft.RaftConfig;
import raftkv.raft.Role;

/**
 * Leases are time in the world, and a node whose tick timer fires late (a busy machine, a GC
 * pause) must not judge them on a clock that stood still meanwhile. Both halves: a leader serving
 * lease reads must not judge its lease on the tick count of before the pause (the followers'
 * promises ran out on their own clocks, and another leader may have committed a write since); a
 * follower must keep its promise to its leader, and so refuse votes, including its own, for as
 * long in the world as the leader counts on it.
 */
class LeaseAfterPauseTest {
    private static final Bytes X = Bytes.utf8("x");
    private static final Bytes OLD = Bytes.utf8("old");
    private final VirtualScheduler time = new VirtualScheduler();
    private final Map<Integer, RaftNode> nodes = new TreeMap<>();
    /** Extra delay on each node's timers: its loop is too busy to run them on time. */
    private final Map<Integer, Long> timerLag = new HashMap<>();
    /** Pairs of nodes that cannot reach each other, either way. */
    private final Set<Set<Integer>> cut = new java.util.HashSet<>();
    /** Messages to this node from a later term than its own are lost (news of a new leader is late). */
    private int deaf = -1;

    private RaftNode start(int id, Configuration members) {
        EventLoop base = time.loop(() -> true);
        EventLoop lagging = new EventLoop() {
            @Override
            public void execute(Runnable task) {
                base.execute(task);
            }

            @Override
            public Cancellable schedule(long delayMillis, Runnable task) {
                return base.schedule(delayMillis + timerLag.getOrDefault(id, 0L), task);
            }

            @Override
            public long nowMillis() {
                return base.nowMillis();
            }
        };
        RaftConfig raft = RaftConfig.defaults(id).withElectionTicks(10, 2).withLeaseReads(true);
        NodeConfig cfg = NodeConfig.defaults(id).withRaft(raft).withTiming(10, 10_000);
        RaftNode n = new RaftNode(cfg, members, lagging, this::deliver, new MemoryStorage(),
                RandomGeneratorFactory.of("L64X128MixRandom").create(id));
        n.start();
        return n;
    }

    private void deliver(Message m) {
        if (cut.contains(Set.of(m.from(), m.to()))) return;
        if (m.to() == deaf && m.term() > nodes.get(deaf).term()) return;
        time.after(1, () -> nodes.get(m.to()).receive(m));
    }

    private Reply call(int at, Request req, long withinMillis) {
        List<Reply> out = new ArrayList<>();
        time.at(time.nowMillis(), () -> nodes.get(at).submit(req, out::add));
        for (long t = 0; t < withinMillis && out.isEmpty(); t++) time.runFor(1);
        return out.isEmpty() ? null : out.getFirst();
    }

    private int leaderOtherThan(int not) {
        for (var e : nodes.entrySet()) if (e.getKey() != not && e.getValue().role() == Role.LEADER) return e.getKey();
        return -1;
    }

    /** Starts three nodes, waits for a leader, and has it write "old" to key x; returns the leader. */
    private int threeNodesWithALeaderThatWroteOld() {
        Configuration members = Configuration.ofVoters(Set.of(1, 2, 3));
        for (int id = 1; id <= 3; id++) nodes.put(id, start(id, members));
        int leader = -1;
        for (int i = 0; i < 300 && leader == -1; i++) {
            time.runFor(10);
            leader = leaderOtherThan(-1);
        }
        assertThat(call(leader, new Request.Write(new KvCommand.Put(X, OLD)), 1_000)).isInstanceOf(Reply.Done.class);
        return leader;
    }

    @Test
    void aReadAfterAPauseIsNotServedFromALeaseThatRanOutMeanwhile() {
        int old = threeNodesWithALeaderThatWroteOld();

        // The old leader's timers now run 1 s late, and it is cut off from the others.
        timerLag.put(old, 1_000L);
        time.runFor(10); // its pending tick fires once more, on time
        for (int id : nodes.keySet()) if (id != old) cut.add(Set.of(old, id));
        int next = -1;
        for (int i = 0; i < 50 && next == -1; i++) {
            time.runFor(10);
            next = leaderOtherThan(old);
        }
        assertThat(next).as("the others elect a leader while the old one's ticks stand still").isNotEqualTo(-1);
        assertThat(call(next, new Request.Write(new KvCommand.Put(X, Bytes.utf8("new"))), 200)).isInstanceOf(Reply.Done.class);

        Reply read = call(old, new Request.Read(X, false), 50);
        assertThat(read).as("a read at the old leader must not return the overwritten value")
                .isNotEqualTo(new Reply.Done(new KvResult.Value(OLD)));
    }

    @Test
    void aFollowerWhoseTimerIsLateKeepsItsPromiseForAsLongInTheWorld() {
        int old = threeNodesWithALeaderThatWroteOld();
        int late = old % 3 + 1;
        int other = late % 3 + 1;
        assertThat(Set.of(old, late, other)).hasSize(3);

        // The old leader keeps its lease on the late follower's answers alone: the other follower
        // cannot reach it, and it hears of no later term. The late follower's timers run 300 ms
        // late. After 1.5 s the old leader is cut off from it too, and the others must elect a
        // leader; whenever one leads while the old leader still thinks it does, it writes, and the
        // old leader is asked for the value.
        cut.add(Set.of(old, other));
        deaf = old;
        timerLag.put(late, 300L);
        int next = -1;
        Reply read = null;
        for (int ms = 0; ms < 4_000 && next == -1; ms++) {
            if (ms == 1_500) cut.add(Set.of(old, late));
            time.runFor(1);
            next = leaderOtherThan(old);
            if (next != -1 && nodes.get(old).role() == Role.LEADER) {
                assertThat(call(next, new Request.Write(new KvCommand.Put(X, Bytes.utf8("new"))), 20)).isInstanceOf(Reply.Done.class);
                read = call(old, new Request.Read(X, false), 3);
            }
        }
        assertThat(next).as("the others elect a leader once the old one is cut off").isNotEqualTo(-1);
        assertThat(read).as("a read at the old leader must not return the overwritten value").isNotEqualTo(new Reply.Done(new KvResult.Value(OLD)));
    }
}
