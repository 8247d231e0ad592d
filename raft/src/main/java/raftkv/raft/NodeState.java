package raftkv.raft;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The state of one peer that every part of the core reads and writes: its term, vote, role and
 * leader (Figure 2's persistent and volatile state), its log and membership, its logical clock, and
 * the messages and read results waiting for the next {@link Ready}.
 *
 * <p>The core is split by concern ({@link RaftCore} for inputs, role changes and output,
 * {@link Elections}, {@link LeaderReplication}, {@link FollowerReplication},
 * {@link ConfirmationRounds}); they share this one object instead of passing a dozen values around,
 * so it is a plain bag of fields, owned by one thread like the core itself.
 */
final class NodeState {
    final RaftConfig cfg;
    final int id;
    final RandomGenerator random;
    final RaftLog log;
    Configuration conf;

    long term;
    int votedFor;
    int leader = RaftCore.NONE;
    Role role = Role.FOLLOWER;

    /**
     * What the transport last told us of message loss ({@link RaftCore#hintMessageLoss}): null
     * until it says, then whether heavy. Tunes only how hard we try (vote resends, a new leader's
     * fan-out width), never what is safe.
     */
    Boolean heavyLossHint;

    /**
     * The term in which the transport last said our leader is idle ({@link RaftCore#hintLeaderIdle}),
     * or -1: with {@link RaftConfig#idleSlowdown()}, a follower of an idle leader waits that many
     * times longer before campaigning (the leader heartbeats as many times less often).
     */
    long leaderIdleHintTerm = -1;
    /** Leader: the tick of the last proposal or read (or of winning), for {@link #slowdown()}. */
    long lastClientActivityTick;
    /** Leader: the last tick at which it was idle ({@link #slowdown()} above 1), or -1. */
    long lastIdleTick = -1;

    /** Logical time: ticks delivered since this core was created. Timers run on these. */
    long ticks;
    /** The runtime's clock in ticks, when it is ahead of those delivered ({@link RaftCore#clockAt}). */
    long clockTicks;
    int electionElapsed;
    int randomizedElectionTimeout;

    /** The newest snapshot this node has: sent to followers that fell behind the compacted log. */
    Snapshot latestSnapshot;
    /** A snapshot received from the leader, to be persisted and installed by the runtime. */
    Snapshot snapshotToInstall;

    /** Messages to send at once. */
    final List<Message> outbox = new ArrayList<>();
    /** Answers that promise persisted state (votes, acknowledged entries): sent after the write. */
    final List<Message> outboxAfterPersist = new ArrayList<>();
    /** Reads that are safe to serve once applied up to their index. */
    final List<ReadState> readStates = new ArrayList<>();

    Set<DeliberateBug> bugs = EnumSet.noneOf(DeliberateBug.class);

    NodeState(RaftConfig cfg, RandomGenerator random, RaftLog log, Configuration conf) {
        this.cfg = cfg;
        this.id = cfg.id();
        this.random = random;
        this.log = log;
        this.conf = conf;
    }

    void send(Message m) {
        outbox.add(m);
    }

    void sendAfterPersist(Message m) {
        outboxAfterPersist.add(m);
    }

    /**
     * How many times less often than configured a leader heartbeats now ({@link
     * RaftConfig#idleSlowdown()}): a leader without proposals or reads for an election timeout is
     * idle; a follower whose current leader was said to be idle expects it so.
     */
    int slowdown() {
        if (cfg.idleSlowdown() == 1) return 1;
        boolean idle = switch (role) {
            case LEADER -> ticks - lastClientActivityTick > cfg.electionTicks();
            case FOLLOWER -> leader != RaftCore.NONE && leaderIdleHintTerm == term;
            default -> false;
        };
        return idle ? cfg.idleSlowdown() : 1;
    }

    /**
     * An election timeout as it runs now: how long a leader's check-quorum period lasts, and how
     * long a follower honours a leader it does not hear from. While heartbeats are {@link
     * #slowdown()} times sparser, one more time longer than that, so that a single lost heartbeat
     * seldom sets off a campaign. Not the lease promise: that is always {@link RaftConfig#promiseTicks()}.
     */
    int electionTicksNow() {
        return cfg.electionTicks() * timeoutSlowdown();
    }

    /** The factor of {@link #electionTicksNow()}; the randomized election timeout is stretched by it too. */
    int timeoutSlowdown() {
        int k = slowdown();
        return k == 1 ? 1 : k + 1;
    }

    void resetElectionTimer() {
        electionElapsed = 0;
        randomizedElectionTimeout = cfg.electionTicks() + random.nextInt(cfg.electionTicks());
    }

    /**
     * Whether this term has committed an entry: only then is our commit index known to be at least
     * that of every earlier leader (thesis §6.4, step 1), so reads may be served at it.
     */
    boolean committedInCurrentTerm() {
        return log.termAt(log.commitIndex()) == term;
    }

    /**
     * Time in the world, in ticks: what promises to a leader and its lease run on. Never behind the
     * ticks delivered, and ahead of them while the runtime owes ticks (see {@link RaftCore#clockAt}).
     */
    long now() {
        return Math.max(ticks, clockTicks);
    }
}
