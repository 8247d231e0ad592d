package raftkv.cs3700;

import java.util.Arrays;
import java.util.Set;
import java.util.function.LongSupplier;

import raftkv.node.EventLoop;

/**
 * Under heavy loss, when none of the followers a round of new log entries went to has answered
 * in time, the node is told ({@link raftkv.node.RaftNode#hedgeRound}), and its leader sends the
 * entries once more, to the followers it has heard from most recently (a hedged request, in the
 * sense of Dean and Barroso's "The Tail at Scale"). The timing is ours (the core's clock ticks
 * every 10 ms); what to send, and what the silence says about loss, the core's.
 *
 * <p>Why: the course grades the median reply latency, and under 30 % loss (its advanced-3) a
 * write is fast only when its first round gets through: a star does half the time, and the core's
 * own retry comes tens of milliseconds later, when the reply is slow whatever happens. A star's
 * first answer comes back 1.2 ms after it is sent at the median, 2.0 ms at the 90th percentile
 * (cs3700/REPLICA.md), and a write spends about 1 ms more between the client and the leader: a
 * second try after 2 ms can still be answered within the 5 ms of the course's Full credit line.
 * It costs a relay chain (about 2.2 counted messages) for every round that is lost or late, so it
 * runs only while the leader measures heavy loss.
 *
 * <p>"In time" is the configured floor while the median of the last {@link #SAMPLES} answer
 * times is within it, else {@link #WAIT_PER_MEDIAN} times that median: on a slower network (the
 * course's own simulator, another machine) a fixed 2 ms would hedge nearly every round, answered
 * or not. Before a round of ours has been answered within the wait, no round is hedged: as the
 * course simulator's clients start, its five JVMs are often still compiling, a relay hop took
 * 5-15 ms, and every round of the first leader of an advanced-4 run (10 % loss) was hedged at
 * 2 ms, three chains where one would do; each hedge counted the round's followers as silent,
 * which kept that leader's rounds wide for the clients' first 1-3 s. Only answers within the
 * wait are timed (a late one may be the hedge's), so on a network always slower than the floor
 * nothing is ever hedged; before this gate, every round was, and the wait never learned.
 *
 * <p>Single-threaded, on the replica's event loop.
 */
class RoundHedge {
    /** Schedules a task on the loop; {@link EventLoop#schedule} fits. */
    interface Timers {
        EventLoop.Cancellable schedule(long delayMillis, Runnable task);
    }

    /**
     * Hedge only while at least this share of rounds goes silent (a moving average, weight
     * {@link #SILENT_WEIGHT}). Under 30 % loss about half the stars do; under 10 % one in eight,
     * plus the rounds merely late on a busy machine, and those to followers a partition cut off. There, hedging kept the leader's rounds wide
     * (the core counts a hedged round's followers as silent) and cost the course's advanced-4 50-100
     * messages a run, over its Bonus line in most runs (paired runs, cs3700/REPLICA.md).
     */
    static final double HEDGE_FROM_SILENT_SHARE = 0.45;
    static final double SILENT_WEIGHT = 0.1;

    /** The wait, in medians of the answer time: at 1.7, about its 90th percentile here. */
    static final double WAIT_PER_MEDIAN = 1.7;
    static final int SAMPLES = 31;

    /** No hedging: a round is sent once. */
    static final RoundHedge NONE = new RoundHedge((delay, task) -> () -> { }, () -> 0, -1, () -> { });

    private final Timers timers;
    private final LongSupplier nanoClock;
    private final long floorMillis;
    private final Runnable onSilence;
    /** The followers of the round waiting to be answered; empty when none waits. */
    private Set<String> awaited = Set.of();
    private long sentNanos;
    private EventLoop.Cancellable timer;
    /** The last answer times, in nanoseconds, as a ring. */
    private final long[] answerNanos = new long[SAMPLES];
    private int answers;
    /** The moving share of rounds that went silent; from below the line, until measured. */
    private double silentShare = 0.3;

    /**
     * {@code onSilence} runs when a round's followers all stay silent for the wait, at least
     * {@code floorMillis} (negative: never).
     */
    RoundHedge(Timers timers, LongSupplier nanoClock, long floorMillis, Runnable onSilence) {
        this.timers = timers;
        this.nanoClock = nanoClock;
        this.floorMillis = floorMillis;
        this.onSilence = onSilence;
    }

    /**
     * A round went to {@code followers}: unless one of them is heard from within the wait, the
     * silence is reported. A newer round replaces a waiting one (it carries every entry not yet
     * committed, the older ones included).
     */
    void roundSent(Set<String> followers) {
        if (floorMillis < 0) return;
        cancel();
        awaited = Set.copyOf(followers);
        sentNanos = nanoClock.getAsLong();
        timer = timers.schedule(waitMillis(), () -> {
            timer = null;
            awaited = Set.of();
            silentShare += SILENT_WEIGHT * (1 - silentShare);
            if (silentShare >= HEDGE_FROM_SILENT_SHARE && answers > 0) onSilence.run();
        });
    }

    /** Anything from {@code peer} arrived: if it was sent the waiting round, that round is being answered. */
    void heard(String peer) {
        if (!awaited.contains(peer)) return;
        answerNanos[answers++ % SAMPLES] = nanoClock.getAsLong() - sentNanos;
        silentShare -= SILENT_WEIGHT * silentShare;
        cancel();
    }

    /** How long a round may go unanswered before it is hedged, in whole milliseconds. */
    long waitMillis() {
        if (answers == 0) return floorMillis;
        long[] recent = Arrays.copyOf(answerNanos, Math.min(answers, SAMPLES));
        Arrays.sort(recent);
        double medianMillis = recent[recent.length / 2] / 1_000_000.0;
        // A network answering within the floor at the median is one like ours, the floor's: a
        // millisecond more cost advanced-3 most of its hedges' gain (P3 in six runs, 2026-12-02).
        if (medianMillis <= floorMillis) return floorMillis;
        return Math.round(WAIT_PER_MEDIAN * medianMillis);
    }

    private void cancel() {
        if (timer != null) timer.cancel();
        timer = null;
        awaited = Set.of();
    }
}
