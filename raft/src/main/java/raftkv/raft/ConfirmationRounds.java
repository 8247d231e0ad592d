package raftkv.raft;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A leader's proof that it still leads: numbered confirmation rounds that every heartbeat and
 * append carries and every answer echoes. A round a quorum has answered proves this node was the
 * leader when the round started. That proof serves two things:
 * <ul>
 *   <li>ReadIndex reads ({@link ReadIndexQueue}, thesis §6.4): a read waits for the round that
 *       started after it arrived;</li>
 *   <li>with {@link RaftConfig#leaseReads()}, the {@link LeaderLease}: for a while after a round's
 *       start no other leader can exist, so reads are served at once, without a round.</li>
 * </ul>
 * Everything here is leader state and is dropped with leadership ({@link #reset()}).
 */
final class ConfirmationRounds {
    private final NodeState s;
    private final ReadIndexQueue reads = new ReadIndexQueue();
    private LeaderLease lease = new LeaderLease();
    /** The highest round each peer has answered in this leadership. */
    private final Map<Integer, Long> ackedRound = new HashMap<>();
    private long lastRoundTick;
    /** Reads lost with leadership, not yet reported to the runtime. */
    private final List<Long> droppedReads = new ArrayList<>();

    ConfirmationRounds(NodeState s) {
        this.s = s;
    }

    /** The round that messages sent now carry. */
    long currentRound() {
        return reads.currentRound();
    }

    /**
     * A read arrived at the leader. From a valid lease it is safe at once at the commit index;
     * otherwise it waits for the next round. No lease read during a leadership transfer: the
     * target's vote requests override the followers' promise (see {@link LeaderLease#revoke()}).
     */
    void read(long context, boolean transferring) {
        if (canServeFromLease(transferring)) {
            s.readStates.add(new ReadState(context, s.log.commitIndex()));
        } else {
            reads.add(context);
        }
    }

    /** The lease is judged on the runtime's clock, which may be ahead of the ticks delivered (RaftCore.clockAt). */
    boolean canServeFromLease(boolean transferring) {
        return s.cfg.leaseReads() && lease.validAt(s.now()) && s.committedInCurrentTerm() && !transferring;
    }

    /**
     * Whether reads that wait for a round could be served from the lease now: they came before
     * this term's first commit, or their round's answers were lost, and the lease has since become
     * valid (a new leader's first round answered; a write round answered). After a kill, the
     * clients' gets reached the new leader before its no-op committed, and waited 100-300 ms for a
     * confirmation round whose heartbeats went through the dead leader (cs3700/REPLICA.md).
     */
    boolean leaseCanServeWaiting(boolean transferring) {
        return !reads.isEmpty() && canServeFromLease(transferring);
    }

    /**
     * Serves every waiting read from the lease, at the commit index of now: no other leader can
     * exist now, and our commit index is at least that of every earlier leader (this term has
     * committed), so the state there holds every write answered before the read came.
     */
    void serveWaitingFromLease(boolean transferring) {
        if (!leaseCanServeWaiting(transferring)) return;
        for (long context : reads.drain()) s.readStates.add(new ReadState(context, s.log.commitIndex()));
    }

    /** Whether reads wait for a round that can start now. */
    boolean roundWanted() {
        return reads.hasUnassigned() && s.committedInCurrentTerm();
    }

    /**
     * A leader's tick: with lease reads, a new round starts every heartbeat, and four times per
     * promise ({@link RaftConfig#promiseTicks()}). Every message carries the current round, and
     * its answer renews the lease from that round's start: with a promise shorter than the
     * heartbeat interval, a busy leader whose rounds were a heartbeat old let its lease run out
     * while its writes' answers kept coming, and each read then cost a quorum round of its own.
     * Starting a round sends nothing.
     */
    void tick() {
        int every = Math.min(s.cfg.heartbeatTicks(), Math.max(1, s.cfg.promiseTicks() / 4));
        if (s.cfg.leaseReads() && s.ticks - lastRoundTick >= every) startRound();
    }

    /**
     * Starts a confirmation round. Reads waiting for one join it, provided this term has committed
     * an entry: only then is our commit index known to be at least that of every earlier leader
     * (thesis §6.4, step 1). A single voter confirms its own rounds.
     */
    void startRound() {
        if (roundWanted()) {
            reads.startRound(s.log.commitIndex());
        } else {
            reads.startEmptyRound();
        }
        // On the runtime's clock: the round's messages go out no sooner, and every promise they
        // earn runs from when they arrive.
        lease.roundStarted(reads.currentRound(), s.now());
        lastRoundTick = s.ticks;
        if (s.conf.voters().size() == 1) {
            reads.release(reads.currentRound(), s.readStates);
            lease.confirmed(reads.currentRound(), s.cfg.promiseTicks());
        }
    }

    /**
     * A follower answered a message of round {@code round}. Once a quorum has, the reads waiting on
     * that round are safe, and the lease (if used) runs from the round's start. Even a rejected
     * append counts: the follower took us for its leader when it got the request.
     */
    void acknowledge(int from, long round) {
        if (round <= ackedRound.getOrDefault(from, 0L)) return;
        ackedRound.put(from, round);
        if (!s.conf.isVoter(from)) return;
        long confirmed = Quorum.majorityValue(s.conf.voters(),
                v -> v == s.id ? reads.currentRound() : ackedRound.getOrDefault(v, 0L));
        reads.release(confirmed, s.readStates);
        lease.confirmed(confirmed, s.cfg.promiseTicks());
    }

    /** The leader told a follower to campaign at once: its lease is void for the rest of its term. */
    void revokeLease() {
        lease.revoke();
    }

    boolean hasUnassignedReads() {
        return reads.hasUnassigned();
    }

    /** Leadership changed hands: pending reads fail (their clients retry), the lease is gone. */
    void reset() {
        lease = new LeaderLease();
        ackedRound.clear();
        droppedReads.addAll(reads.drain());
    }

    List<Long> takeDroppedReads() {
        List<Long> out = List.copyOf(droppedReads);
        droppedReads.clear();
        return out;
    }
}
