package raftkv.node;

/**
 * The one thread that owns a node's state. Everything a node does runs as a task on it; other
 * threads (network, disk) only {@link #execute(Runnable) enqueue}.
 */
public interface EventLoop {
    /** Runs the task on the loop, after the tasks already queued. */
    void execute(Runnable task);

    /** Runs the task on the loop after {@code delayMillis}; the handle cancels it. */
    Cancellable schedule(long delayMillis, Runnable task);

    /** The loop's clock in milliseconds: wall time in a server, virtual time in the simulator. */
    long nowMillis();

    /**
     * A clock that never jumps (unlike wall time), in nanoseconds, for measuring intervals such as
     * Raft ticks. Defaults to {@link #nowMillis()}, which is monotone on virtual time.
     */
    default long monotonicNanos() {
        return nowMillis() * 1_000_000L;
    }

    interface Cancellable {
        void cancel();
    }
}
