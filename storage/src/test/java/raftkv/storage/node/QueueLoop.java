package raftkv.storage.node;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import raftkv.node.EventLoop;

/**
 * An event loop the test thread drives by hand: {@code execute} only queues (from any thread),
 * {@link #runPending} / {@link #runNext} run the queued tasks on the test thread.
 */
final class QueueLoop implements EventLoop {

    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();

    @Override
    public void execute(Runnable task) {
        queue.add(task);
    }

    @Override
    public Cancellable schedule(long delayMillis, Runnable task) {
        throw new UnsupportedOperationException("no timers in storage tests");
    }

    @Override
    public long nowMillis() {
        return 0;
    }

    /** Runs every task queued so far; returns how many ran. */
    int runPending() {
        int n = 0;
        for (Runnable r; (r = queue.poll()) != null; n++) r.run();
        return n;
    }

    /** Waits (bounded) for the next task from another thread and runs it. */
    void runNext() throws InterruptedException {
        Runnable r = queue.poll(30, TimeUnit.SECONDS);
        if (r == null) throw new AssertionError("no task arrived on the loop within 30 s");
        r.run();
    }

    int queued() {
        return queue.size();
    }
}
