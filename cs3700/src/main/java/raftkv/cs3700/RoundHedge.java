package raftkv.cs3700;

import java.util.Set;

import raftkv.node.EventLoop;

/**
 * Under heavy loss, when none of the followers a round of new log entries went to has answered
 * within {@code afterMillis}, the node is told ({@link raftkv.node.RaftNode#hedgeRound}), and its
 * leader sends the entries once more, to the followers it has heard from most recently (a hedged
 * request, in the sense of Dean and Barroso's "The Tail at Scale"). The timing is ours (the
 * core's clock ticks every 10 ms); what to send, and what the silence says about loss, the core's.
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
 * <p>Single-threaded, on the replica's event loop.
 */
final class RoundHedge {
    /** Schedules a task on the loop; {@link EventLoop#schedule} fits. */
    interface Timers {
        EventLoop.Cancellable schedule(long delayMillis, Runnable task);
    }

    /** No hedging: a round is sent once. */
    static final RoundHedge NONE = new RoundHedge((delay, task) -> () -> { }, -1, () -> { });

    private final Timers timers;
    private final long afterMillis;
    private final Runnable onSilence;
    /** The followers of the round waiting to be answered; empty when none waits. */
    private Set<String> awaited = Set.of();
    private EventLoop.Cancellable timer;

    /** {@code onSilence} runs when a round's followers all stay silent for {@code afterMillis}. */
    RoundHedge(Timers timers, long afterMillis, Runnable onSilence) {
        this.timers = timers;
        this.afterMillis = afterMillis;
        this.onSilence = onSilence;
    }

    /**
     * A round went to {@code followers}: unless one of them is heard from within the wait, the
     * silence is reported. A newer round replaces a waiting one (it carries every entry not yet
     * committed, the older ones included).
     */
    void roundSent(Set<String> followers) {
        if (afterMillis < 0) return;
        cancel();
        awaited = Set.copyOf(followers);
        timer = timers.schedule(afterMillis, () -> {
            timer = null;
            awaited = Set.of();
            onSilence.run();
        });
    }

    /** Anything from {@code peer} arrived: if it was sent the waiting round, that round is being answered. */
    void heard(String peer) {
        if (awaited.contains(peer)) cancel();
    }

    private void cancel() {
        if (timer != null) timer.cancel();
        timer = null;
        awaited = Set.of();
    }
}
