package raftkv.bench;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

import raftkv.raft.Configuration;
import raftkv.raft.Entry;
import raftkv.raft.Message;
import raftkv.raft.ProposeResult;
import raftkv.raft.RaftConfig;
import raftkv.raft.RaftCore;
import raftkv.raft.Ready;
import raftkv.raft.RestoredState;
import raftkv.raft.Role;

/**
 * A Raft group of cores in one thread, with nothing but the cores' own work: "persisting" a Ready
 * costs nothing (it is acknowledged at once) and the network is a FIFO queue. What remains to
 * measure is the consensus logic itself.
 *
 * <p>Messages are delivered in rounds, as an event loop would: every core first handles all its
 * Readies, then every queued message is stepped. Steps taken between two Readies are batched into
 * the next one, so the group commit behaviour of the core is exercised as in a real node.
 */
final class InMemoryRaftGroup {
    /** Rounds without progress after which the group is declared stuck (a bug, not a slow run). */
    private static final int MAX_IDLE_ROUNDS = 1_000;

    private final List<RaftCore> cores = new ArrayList<>();
    /** Indexed by node id (ids are 1..n); slot 0 is unused. */
    private final long[] applied;
    private ArrayDeque<Message> network = new ArrayDeque<>();
    private ArrayDeque<Message> delivering = new ArrayDeque<>();
    private RaftCore leader;
    private long leaderTerm;
    private long proposedCommands;
    private long committedCommands;
    private long snapshotMessages;

    InMemoryRaftGroup(int size, long seed) {
        Set<Integer> ids = new TreeSet<>();
        for (int i = 1; i <= size; i++) ids.add(i);
        Configuration conf = Configuration.ofVoters(ids);
        RandomGenerator seeds = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        for (int id : ids) {
            RandomGenerator rng = RandomGeneratorFactory.of("L64X128MixRandom").create(seeds.nextLong());
            cores.add(new RaftCore(RaftConfig.defaults(id), conf, rng, RestoredState.empty()));
        }
        applied = new long[size + 1];
    }

    /** Ticks every core until one leads and everything it sent has settled. */
    void electLeader() {
        for (int tick = 0; tick < 10_000; tick++) {
            for (RaftCore c : cores) c.tick();
            drainUntilQuiet();
            for (RaftCore c : cores) {
                if (c.role() == Role.LEADER && cores.stream().allMatch(o -> o.leader() == c.id())) {
                    leader = c;
                    leaderTerm = c.term();
                    return;
                }
            }
        }
        throw new IllegalStateException("no leader elected after 10000 ticks");
    }

    /**
     * Proposes {@code commands} on the leader and runs the group until the leader has handed all of
     * them to its application as committed. Messages still in flight then (the followers' later
     * acknowledgements, the commit index reaching them) carry over to the next call.
     *
     * @return the leader's last committed index
     */
    long proposeAndCommit(List<byte[]> commands) {
        ProposeResult r = leader.propose(commands);
        if (!(r instanceof ProposeResult.Accepted accepted)) {
            throw new IllegalStateException("the leader refused a proposal: " + r);
        }
        proposedCommands += commands.size();
        long target = accepted.index() + commands.size() - 1;
        int idle = 0;
        while (true) {
            boolean worked = processReadies();
            if (applied[leader.id()] >= target) return target;
            worked |= deliverQueued();
            if (worked) {
                idle = 0;
            } else if (++idle > MAX_IDLE_ROUNDS) {
                throw new IllegalStateException("group stuck: leader applied " + applied[leader.id()]
                        + " of " + target + ", status " + leader.status());
            }
        }
    }

    /** Runs the group until no core has work and no message is in flight. */
    void drainUntilQuiet() {
        boolean worked = true;
        while (worked) {
            worked = processReadies();
            worked |= deliverQueued();
        }
    }

    /**
     * Lets every core drop its log up to what it has applied, as a runtime would after a snapshot,
     * so long runs stay bounded in memory. The group is first drained, so that every follower holds
     * the leader's whole log: compaction never makes the leader fall back to sending a snapshot.
     */
    void compactAll(byte[] snapshotData) {
        drainUntilQuiet();
        for (RaftCore c : cores) {
            if (applied[c.id()] > 0) c.compact(applied[c.id()], snapshotData);
        }
    }

    /** Snapshot chunks sent: stays 0 when the benchmark measures replication of entries only. */
    long snapshotMessages() {
        return snapshotMessages;
    }

    /** Fails if leadership changed: the figures would then include an election. */
    void checkStableLeader() {
        if (leader.role() != Role.LEADER || leader.term() != leaderTerm) {
            throw new IllegalStateException("leadership changed during the run: " + leader.status());
        }
    }

    /**
     * Fails unless, once drained, every core holds the leader's whole log and the leader applied
     * every command proposed: the figures then count real replication, nothing skipped.
     */
    void checkAllReplicated() {
        drainUntilQuiet();
        for (RaftCore c : cores) {
            if (c.lastIndex() != leader.lastIndex()) {
                throw new IllegalStateException("node " + c.id() + " holds up to " + c.lastIndex()
                        + ", the leader up to " + leader.lastIndex());
            }
        }
        if (committedCommands != proposedCommands) {
            throw new IllegalStateException("proposed " + proposedCommands + " commands, committed " + committedCommands);
        }
    }

    RaftCore leader() {
        return leader;
    }

    /** Carries out every pending Ready of every core. Returns whether there was any. */
    private boolean processReadies() {
        boolean worked = false;
        for (RaftCore c : cores) {
            while (c.hasReady()) {
                worked = true;
                Ready rd = c.ready();
                queue(rd.messages());
                // Storage is perfect and instant here: the entries and hard state are "durable" now.
                queue(rd.messagesAfterPersist());
                List<Entry> committed = rd.committed();
                if (!committed.isEmpty()) {
                    applied[c.id()] = committed.getLast().index();
                    if (c == leader) {
                        for (Entry e : committed) if (!e.isNoop()) committedCommands++;
                    }
                }
                c.advance(rd);
            }
        }
        return worked;
    }

    private void queue(List<Message> messages) {
        for (Message m : messages) {
            if (m instanceof Message.SnapshotChunk) snapshotMessages++;
            network.addLast(m);
        }
    }

    /** Steps every message queued so far; the answers they cause wait for the next round. */
    private boolean deliverQueued() {
        if (network.isEmpty()) return false;
        ArrayDeque<Message> batch = network;
        network = delivering;
        delivering = batch;
        for (Message m; (m = batch.pollFirst()) != null; ) {
            cores.get(m.to() - 1).step(m);
        }
        return true;
    }
}
