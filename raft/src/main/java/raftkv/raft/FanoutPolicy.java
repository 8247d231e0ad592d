package raftkv.raft;

import java.util.List;
import java.util.function.IntToLongFunction;

/**
 * With {@link RaftConfig#quorumFanout()}: how many followers get uncommitted entries at once, and
 * when entries that made no quorum are sent again. {@link LeaderReplication} chooses which.
 *
 * <p><b>Width.</b> Normally just a quorum's worth of followers: a round then commits only if every
 * one of them answers. The leader keeps a moving average of how often a follower it sent a round
 * to has answered by the time the next round (or a retry) goes out. When that falls below
 * {@link #WIDEN_BELOW} (heavy loss), rounds go to every follower heard from lately, so that any
 * quorum of them answering commits; back to a quorum's worth above {@link #NARROW_ABOVE}. The
 * rate is the same whatever the width, and the gap keeps the width from flapping on noise. A
 * round is judged only when it is at least two ticks old: under load, rounds follow each other
 * faster than answers come back, and that is no sign of loss.
 *
 * <p><b>Retries.</b> After retransmitTicks (2 ticks without retransmission; half that while
 * wide), doubling while no commit follows, up to the heartbeat interval. A long wait spends few
 * messages under loss: new entries that come meanwhile carry the lost ones along.
 */
final class FanoutPolicy {
    static final double WIDEN_BELOW = 0.5;
    static final double NARROW_ABOVE = 0.6;
    /** Weight of each follower's newest answer-or-not in the moving average. */
    private static final double WEIGHT = 0.1;

    private final NodeState s;
    private final IntToLongFunction matchOf;
    /** When uncommitted entries last went out (a round or a retry). */
    private long lastSentTick;
    private int retries;
    /** The round waiting to be judged: its last index, recipients and tick; null recipients when none. */
    private long roundEnd;
    private List<Integer> roundRecipients;
    private long roundTick;
    private double answerRate = 1.0;
    private boolean wide;

    FanoutPolicy(NodeState s, IntToLongFunction matchOf) {
        this.s = s;
        this.matchOf = matchOf;
    }

    /**
     * New entries up to {@code lastIndex} went out to {@code recipients}. The retry wait runs from
     * the oldest entry still waiting: when earlier entries are still uncommitted ({@code
     * olderPending}) it goes on, or a steady stream of writes, each resetting it, would keep a round
     * that is stuck (a chosen follower died) from ever being retried.
     */
    void roundSent(long lastIndex, List<Integer> recipients, boolean olderPending) {
        judgeRound();
        roundEnd = lastIndex;
        roundRecipients = List.copyOf(recipients);
        roundTick = s.ticks;
        if (!olderPending) lastSentTick = s.ticks;
    }

    /** The commit index moved: the retry wait starts over. */
    void committed() {
        lastSentTick = s.ticks;
        retries = 0;
    }

    boolean retryDue() {
        if (s.log.commitIndex() >= s.log.lastIndex()) return false;
        long base = s.cfg.retransmitTicks() > 0 ? s.cfg.retransmitTicks() : 2;
        // Wide, most rounds are lost: the typical write then waits for a retry, not for the next
        // write to carry it along, so the wait is halved (never under the 2 ticks a round must be
        // old to be judged).
        if (wide) base = Math.max(2, base / 2);
        long wait = Math.min(base << Math.min(retries, 20), Math.max(base, s.cfg.heartbeatTicks()));
        return s.ticks - lastSentTick >= wait;
    }

    void retried() {
        judgeRound();
        retries++;
        lastSentTick = s.ticks;
    }

    /** How many followers a new round goes to: a quorum's worth, or, when wide, every one heard from lately. */
    int width(int quorumBesidesUs, int heardLately) {
        return wide ? Math.max(quorumBesidesUs, heardLately) : quorumBesidesUs;
    }

    private void judgeRound() {
        if (roundRecipients == null || s.ticks - roundTick < 2) return;
        for (int peer : roundRecipients) {
            answerRate += WEIGHT * ((matchOf.applyAsLong(peer) >= roundEnd ? 1 : 0) - answerRate);
        }
        roundRecipients = null;
        if (!wide && answerRate < WIDEN_BELOW) wide = true;
        else if (wide && answerRate > NARROW_ABOVE) wide = false;
    }
}
