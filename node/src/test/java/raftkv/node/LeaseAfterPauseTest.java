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
    /** Extra delay on a node's next timer only: one stall. */
    private final Map<Integer, Long> nextTimerLag = new HashMap<>();
    /** Pairs of nodes that cannot reach each other, either way. */
    private final Set<Set<Integer>> cut = new java.util.HashSet<>();
    /** Messages to this node from a later term than its own are lost (news of a new leader is late). */
    private int deaf = -1;

    /** Election timeout and heartbeat interval, in 10 ms ticks, of the nodes started next. */
    private int electionTicks = 10, heartbeatTicks = 2;

    private RaftNode start(int id, Configuration members) {
        EventLoop base = time.loop(() -> true);
        EventLoop lagging = new EventLoop() {
            @Override
            public void execute(Runnable task) {
                base.execute(task);
            }

            @Override
            public Cancellable schedule(long delayMillis, Runnable task) {
                Long once = nextTimerLag.remove(id);
                return base.schedule(delayMillis + timerLag.getOrDefault(id, 0L) + (once == null ? 0 : once), task);
            }

            @Override
            public long nowMillis() {
                return base.nowMillis();
            }
        };
        RaftConfig raft = RaftConfig.defaults(id).withElectionTicks(electionTicks, heartbeatTicks).withLeaseReads(true);
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
        electionTicks = 30; // 300 ms: the old leader's lease runs 280 ms from its round's start
        heartbeatTicks = 3;
        int old = threeNodesWithALeaderThatWroteOld();
        int late = old % 3 + 1;
        int other = late % 3 + 1;
        assertThat(Set.of(old, late, other)).hasSize(3);

        // The old leader keeps its lease on the late follower's answers alone: the other follower
        // cannot reach it, and it hears of no later term.
        cut.add(Set.of(old, other));
        deaf = old;
        time.runFor(700);
        assertThat(nodes.get(old).role()).isEqualTo(Role.LEADER);
        // The late follower's timer stalls for a second (its loop busy) while it keeps hearing the
        // leader; just before the timer fires again, 100 ticks late, the old leader is cut off from
        // it too. The late ticks run the late follower's election timer (30-60 ticks) out within
        // 100-200 ms, inside the promise it made the old leader on its last heartbeat; the old
        // leader serves reads on that promise.
        nextTimerLag.put(late, 1_000L);
        time.runFor(1_005);
        cut.add(Set.of(old, late));
        int next = -1;
        for (int ms = 0; ms < 2_000 && next == -1; ms++) {
            time.runFor(1);
            next = leaderOtherThan(old);
        }
        assertThat(next).as("the others elect a leader once the old one is cut off").isNotEqualTo(-1);
        assertThat(nodes.get(old).role()).as("the old leader has not stepped down yet: the reads it would serve are at stake")
                .isEqualTo(Role.LEADER);
        assertThat(call(next, new Request.Write(new KvCommand.Put(X, Bytes.utf8("new"))), 20)).isInstanceOf(Reply.Done.class);
        assertThat(call(old, new Request.Read(X, false), 3)).as("a read at the old leader must not return the overwritten value")
                .isNotEqualTo(new Reply.Done(new KvResult.Value(OLD)));
    }

    /**
     * A follower whose timer stalls while the leader's heartbeats keep coming does not campaign
     * when it fires again: its promise runs on the clock, and the ticks it owes come a few at a
     * time. Before both, they came at once and ran its election timer out on a silence it had not
     * listened to.
     */
    @Test
    void aFollowerWhoseTimerStalledDoesNotCampaignOnTheSilenceItDidNotListenTo() {
        int leader = threeNodesWithALeaderThatWroteOld();
        int stalled = leader % 3 + 1;
        long term = nodes.get(stalled).term();
        nextTimerLag.put(stalled, 2_000L);
        time.runFor(10); // the stalled timer is rescheduled, 2 s late
        for (int ms = 0; ms < 2_200; ms++) {
            time.runFor(1);
            assertThat(nodes.get(stalled).role()).as("at %d ms", ms).isEqualTo(Role.FOLLOWER);
        }
        assertThat(nodes.get(stalled).term()).isEqualTo(term);
        assertThat(nodes.get(leader).role()).isEqualTo(Role.LEADER);
    }

    /**
     * A stalled timer's ticks: at most three a firing, and of a backlog longer than an election
     * timeout only an election timeout's worth is made up (the rest would run the timers fast for
     * as long again).
     */
    @Test
    void aLateTimersTicksComeAFewAtATimeAndALongBacklogIsCut() {
        int leader = threeNodesWithALeaderThatWroteOld();
        RaftNode follower = nodes.get(leader % 3 + 1);
        time.runFor(10);
        assertThat(follower.ticksOwed()).isBetween(0L, 1L);
        nextTimerLag.put(follower.id(), 1_000L);
        long most = 0;
        for (int ms = 0; ms < 1_100 && (most < 90 || follower.ticksOwed() > electionTicks); ms++) {
            time.runFor(1);
            most = Math.max(most, follower.ticksOwed());
        }
        assertThat(most).as("owed before the stalled timer fired").isGreaterThanOrEqualTo(99);
        assertThat(follower.ticksOwed()).as("owed once it fired").isEqualTo(electionTicks);
        time.runFor(10);
        assertThat(follower.ticksOwed()).as("a firing later").isEqualTo(electionTicks - 2);
        time.runFor(60);
        assertThat(follower.ticksOwed()).isBetween(0L, 1L);
    }
}
