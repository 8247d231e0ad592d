package raftkv.raft;

import java.util.ArrayDeque;

/**
 * What a leader knows about one follower's log (§5.3 nextIndex/matchIndex) and how it currently
 * replicates to it:
 * <ul>
 *   <li>{@link Mode#PROBE}: the match point is unknown; send one append at a time and wait.</li>
 *   <li>{@link Mode#REPLICATE}: the logs match up to {@code match}; stream appends optimistically,
 *       up to {@code maxInflight} unanswered ones (pipelining).</li>
 *   <li>{@link Mode#SNAPSHOT}: the follower needs entries that were compacted; send the snapshot.</li>
 * </ul>
 */
final class Progress {
    enum Mode { PROBE, REPLICATE, SNAPSHOT }

    long match;
    long next;
    Mode mode = Mode.PROBE;
    /** In PROBE mode, an append is outstanding; wait for its answer or the next heartbeat. */
    boolean probeSent;
    /** An append went to this follower since the leader's last tick. */
    boolean sentSinceTick;
    /** Whole ticks since the leader last sent this follower anything: a heartbeat is due at heartbeatTicks. */
    int idleTicks;
    /** Since when (leader's tick) something sent to this follower has waited for an answer. */
    long outstandingSince;
    /** Consecutive retransmissions without an answer: the wait doubles with each. */
    int retransmitShift;
    /** The leader's tick when this follower last answered. */
    long lastHeardTick;
    /** Appends and heartbeats sent to this follower since it last answered. */
    int sentSinceHeard;
    /** New rounds of entries (quorum fan-out) sent to others but not to this follower since it was last sent one. */
    int roundsLeftOut;
    /** New rounds sent to this follower, since it last answered, while it seemed gone (see QuorumFanout.mayAnswer). */
    int roundsWhileGone;
    /**
     * The last message to this follower left while the leader was idle, and so (through the
     * transport) told it to expect sparse heartbeats (RaftConfig.idleSlowdown).
     */
    boolean toldIdle;
    /** A heartbeat went to this follower and has not been answered yet (quorum fan-out's loss estimate). */
    boolean heartbeatUnanswered;
    /** Heard from this follower since the last check-quorum. */
    boolean recentActive;
    /** Last indexes of the appends in flight, oldest first. */
    private final ArrayDeque<Long> inflight = new ArrayDeque<>();
    /** The snapshot being sent, and the next byte to send of it. */
    SnapshotMeta pendingSnapshot;
    long snapshotOffset;

    Progress(long next) {
        this.next = next;
    }

    /** Whether something sent to this follower still awaits its answer. */
    boolean hasOutstanding() {
        return switch (mode) {
            case PROBE -> probeSent;
            case REPLICATE -> !inflight.isEmpty();
            case SNAPSHOT -> true;
        };
    }

    boolean isPaused(int maxInflight) {
        return switch (mode) {
            case PROBE -> probeSent;
            case REPLICATE -> inflight.size() >= maxInflight;
            case SNAPSHOT -> true;
        };
    }

    /** Records an append ending at {@code lastIndex} as sent. */
    void sent(long lastIndex, boolean hasEntries) {
        switch (mode) {
            case PROBE -> probeSent = true;
            case REPLICATE -> {
                if (hasEntries) {
                    next = lastIndex + 1;
                    inflight.addLast(lastIndex);
                }
            }
            case SNAPSHOT -> throw new IllegalStateException("no appends while sending a snapshot");
        }
    }

    /** The follower acknowledged everything up to {@code index}. Returns whether match moved. */
    boolean acknowledge(long index) {
        boolean moved = index > match;
        if (moved) match = index;
        next = Math.max(next, index + 1);
        while (!inflight.isEmpty() && inflight.peekFirst() <= index) inflight.removeFirst();
        probeSent = false;
        return moved;
    }

    void freeOneInflight() {
        inflight.pollFirst();
    }

    boolean inflightFull(int maxInflight) {
        return inflight.size() >= maxInflight;
    }

    void becomeProbe() {
        mode = Mode.PROBE;
        next = Math.max(match + 1, next);
        probeSent = false;
        inflight.clear();
        pendingSnapshot = null;
    }

    void becomeReplicate() {
        mode = Mode.REPLICATE;
        next = match + 1;
        probeSent = false;
        inflight.clear();
    }

    void becomeSnapshot(SnapshotMeta meta) {
        mode = Mode.SNAPSHOT;
        pendingSnapshot = meta;
        snapshotOffset = 0;
        inflight.clear();
    }

    @Override
    public String toString() {
        return mode + "[match=" + match + " next=" + next + " inflight=" + inflight.size() + "]";
    }
}
