package raftkv.raft;

import java.util.List;
import java.util.function.IntToLongFunction;

/**
 * With {@link RaftConfig#quorumFanout()}: how many followers get uncommitted entries at once, and
 * when entries that made no quorum are sent again. {@link QuorumFanout} chooses which.
 *
 * <p><b>Width.</b> Normally just a quorum's worth of followers: a round then commits only if every
 * one of them answers. The leader keeps a moving average of how often a follower it sent a round
 * to has answered by the time the next round (or a retry) goes out. When that falls below
 * {@link #WIDEN_BELOW} (heavy loss), rounds go to every follower heard from lately, and at
 * least one more than a quorum's worth, so that any quorum of them answering commits; back to a
 * quorum's worth above {@link #NARROW_ABOVE}. The rate is the same whatever the width, and the
 * gap keeps the width from flapping on noise. A round is judged when the next one (or a retry)
 * goes out, if it is two ticks old by then (under load, rounds follow each other faster than
 * answers come back, and that is no sign of loss), else once it is {@link #JUDGE_AFTER_TICKS}
 * old; each heartbeat by whether it was answered before the next. A long-silent follower's misses
 * count only once it answers again (see {@code uncountedMisses}): such silence is a partition or
 * a crash, not loss. A new leader starts narrow, five misses from widening. (Starting wide cost
 * messages at every election under light loss, where partitions bring many.)
 *
 * <p><b>Heavy loss</b> (while wide) also makes the leader forgive one check-quorum period without a
 * quorum ({@link LeaderReplication}): under 30 % loss, connected leaders heard from too few
 * followers by chance and stepped down every few seconds, each time an election's worth of
 * waiting. {@link Status#heavyLoss()} tells a transport (the course replica sends heartbeats
 * directly then, not in relay chains).
 *
 * <p><b>Retries.</b> After retransmitTicks (2 ticks without retransmission; a third of that while
 * wide), doubling while no commit follows, up to the heartbeat interval. A long wait spends few
 * messages under loss: new entries that come meanwhile carry the lost ones along.
 */
final class FanoutPolicy {
    static final double WIDEN_BELOW = 0.55;
    static final double NARROW_ABOVE = 0.65;
    /**
     * Weight of each follower's newest answer-or-not in the moving average. Small, because samples
     * come in correlated pairs (a relay chain's two answers are lost together): at 0.1, two
     * unlucky rounds under 10 % loss widened a new leader, each wide round a message or two more.
     */
    private static final double WEIGHT = 0.05;

    private final NodeState s;
    private final IntToLongFunction matchOf;
    private final IntToLongFunction lastHeardOf;
    /** When uncommitted entries last went out (a round or a retry). */
    private long lastSentTick;
    private int retries;
    /** The round waiting to be judged: its last index, recipients and tick; null recipients when none. */
    private long roundEnd;
    private List<Integer> roundRecipients;
    private long roundTick;
    /**
     * A round no other round followed is judged once it is this many ticks old. An answer comes
     * back within a few milliseconds on an idle machine, but while the machine is busy (the course
     * simulator's five JVMs still compiling as its clients start) a relay hop took 5-15 ms and a
     * round's answers 20-40: judged at two ticks (and at the hedge, see RoundHedge), the first
     * leader of a traced advanced-4 run counted nearly every answer of the clients' first second
     * lost. This alone did not shorten that leader's wide spell (cs3700/REPLICA.md, "Start-up
     * slowness is not loss"): its rounds were hedged too; it is neutral under 30 % loss.
     */
    static final int JUDGE_AFTER_TICKS = 5;
    /**
     * Per follower, misses not counted yet. A miss by a follower heard from within a quarter
     * election timeout counts at once: under loss, a live follower answers every few rounds. One
     * by a follower silent for longer waits, and counts (at most {@link #MAX_COUNTED_MISSES} of
     * them) when it answers again: a follower cut off by a partition, or dead, adds a round's
     * misses or two and then nothing, or a few when it comes back. Such silence is not loss, and
     * would widen every round for nothing; a follower idle between heartbeats still counts.
     */
    private final java.util.Map<Integer, Integer> uncountedMisses = new java.util.HashMap<>();
    /**
     * Per follower with uncounted misses, the tick of the first. A silence that lasted an election
     * timeout beyond it was a partition or a restart, not loss (under 30 % loss a live follower
     * answers within a few rounds): its misses are dropped, not counted. Counted, they widened
     * every round after each partition healed.
     */
    private final java.util.Map<Integer, Long> uncountedSince = new java.util.HashMap<>();
    static final int MAX_COUNTED_MISSES = 3;
    /** A new leader's guess: narrow, five misses in a row from widening. */
    private double answerRate = 0.7;
    private boolean wide;

    FanoutPolicy(NodeState s, IntToLongFunction matchOf, IntToLongFunction lastHeardOf) {
        this.s = s;
        this.matchOf = matchOf;
        this.lastHeardOf = lastHeardOf;
        if (Boolean.TRUE.equals(s.heavyLossHint)) { // the previous leader was losing most answers
            wide = true;
            answerRate = WIDEN_BELOW - WEIGHT / 2;
        }
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
        // Wide, half the rounds are lost: the typical write then waits for a retry, not for the next
        // write to carry it along, so the wait is a third (never under the 2 ticks a round must be
        // old to be judged). More retries go out that a later write would have made unnecessary.
        if (wide) base = Math.max(2, base / 3);
        long wait = Math.min(base << Math.min(retries, 20), Math.max(base, s.cfg.heartbeatTicks()));
        return s.ticks - lastSentTick >= wait;
    }

    /** A retry went out; with {@code backOff}, the wait for the next one doubles. */
    void retried(boolean backOff) {
        judgeRound();
        if (backOff) retries++;
        lastSentTick = s.ticks;
    }

    /**
     * How many followers a new round goes to: a quorum's worth, or, when wide, every one heard from
     * lately, and at least one more than a quorum's worth among those that may still answer
     * ({@code mayAnswer}: not yet silent for long after several messages). A round to a bare
     * quorum commits only if every one of them answers: under heavy loss a follower that got only
     * heartbeats often went unheard for a while, and a leader that counted only those heard lately
     * sent chains where a star gets through half as often again (one run lost five rounds in a
     * row so, and its leader was killed with five puts unanswered). The round before is judged
     * first, if old enough, so the width uses what it taught.
     */
    int width(int quorumBesidesUs, int heardLately, int mayAnswer) {
        judgeRound();
        if (!wide) return quorumBesidesUs;
        return Math.max(Math.max(quorumBesidesUs, heardLately), Math.min(quorumBesidesUs + 1, mayAnswer));
    }

    /** Whether rounds go wide: the leader's sign of heavy message loss. */
    boolean wide() {
        return wide;
    }

    /** A leader's tick: a round old enough is judged now, so an idle leader's estimate is current too. */
    void tick() {
        judgeRound(JUDGE_AFTER_TICKS);
    }

    /**
     * A heartbeat to {@code peer} was answered before the next one went ({@code answered}), or
     * the next one went first: idle, the leader still learns how lossy the network is.
     */
    void heartbeat(int peer, boolean answered) {
        if (answered) answered(peer);
        else missed(peer);
        updateWidth();
    }

    private void answered(int peer) {
        Integer misses = uncountedMisses.remove(peer);
        Long since = uncountedSince.remove(peer);
        if (since != null && s.ticks - since > s.cfg.electionTicks()) misses = null;
        for (int i = 0; i < Math.min(misses == null ? 0 : misses, MAX_COUNTED_MISSES); i++) record(0);
        record(1);
    }

    private void missed(int peer) {
        if (s.ticks - lastHeardOf.applyAsLong(peer) <= s.cfg.electionTicks() / 4) record(0);
        else {
            uncountedMisses.merge(peer, 1, Integer::sum);
            uncountedSince.putIfAbsent(peer, s.ticks);
        }
    }

    private void record(int answered) {
        answerRate += WEIGHT * (answered - answerRate);
    }

    private void updateWidth() {
        if (!wide && answerRate < WIDEN_BELOW) wide = true;
        else if (wide && answerRate > NARROW_ABOVE) wide = false;
    }

    /** The round waiting to be judged is judged now, however young (its followers stayed silent: a hedge). */
    void judgeRoundNow() {
        judgeRound(0);
    }

    /** The round waiting to be judged, if two ticks old: a newer round or a retry goes out. */
    private void judgeRound() {
        judgeRound(2);
    }

    private void judgeRound(int minAgeTicks) {
        if (roundRecipients == null || s.ticks - roundTick < minAgeTicks) return;
        for (int peer : roundRecipients) {
            if (matchOf.applyAsLong(peer) >= roundEnd) answered(peer);
            else missed(peer);
        }
        roundRecipients = null;
        updateWidth();
    }
}
