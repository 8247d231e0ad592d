package raftkv.raft;

import java.util.ArrayDeque;

/**
 * A leader's lease (thesis §6.4.1), for opt-in lease reads. Followers refuse to vote for
 * {@code promiseTicks} ({@link RaftConfig#promiseTicks()}) after hearing from a leader, so once a
 * quorum has acknowledged a message the leader sent at tick T, no other leader can exist before
 * T + promiseTicks on the followers' clocks. The leader trusts its lease until
 * T + promiseTicks - 2 on its own clock: one tick of margin for where within a tick each side
 * counted, one for the follower's first tick coming right after the message. T is the tick at
 * which the acknowledged confirmation round started, which is no later than the send.
 */
final class LeaderLease {
    private static final int MAX_TRACKED_ROUNDS = 1024;

    /** (round, tick at which it started), oldest first. */
    private final ArrayDeque<long[]> roundStarts = new ArrayDeque<>();
    private long expiresAtTick = Long.MIN_VALUE;
    private boolean revoked;

    void roundStarted(long round, long tick) {
        if (roundStarts.size() == MAX_TRACKED_ROUNDS) {
            // Forgetting the oldest start is safe: a later confirmation then uses an older round's
            // start, i.e. an earlier tick, which only shortens the lease.
            roundStarts.pollFirst();
        }
        roundStarts.addLast(new long[] {round, tick});
    }

    /** A quorum has acknowledged every round up to {@code round}. */
    void confirmed(long round, int promiseTicks) {
        long startTick = Long.MIN_VALUE;
        while (!roundStarts.isEmpty() && roundStarts.peekFirst()[0] <= round) startTick = roundStarts.pollFirst()[1];
        if (startTick != Long.MIN_VALUE) expiresAtTick = Math.max(expiresAtTick, startTick + promiseTicks - 2);
    }

    boolean validAt(long tick) {
        return !revoked && tick < expiresAtTick;
    }

    /**
     * Once the leader has told a follower to campaign at once (leadership transfer), voters ignore
     * their leases for it: this leader's lease is void for the rest of its term.
     */
    void revoke() {
        revoked = true;
    }
}
