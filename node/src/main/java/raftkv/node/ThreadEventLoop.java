package raftkv.node;

import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** An event loop on one real thread, for servers and replicas. Once closed, it runs nothing more: tasks given to it then are dropped. */
public final class ThreadEventLoop implements EventLoop, AutoCloseable {
    private final ScheduledExecutorService executor;

    public ThreadEventLoop(String name) {
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void execute(Runnable task) {
        try {
            executor.execute(guard(task));
        } catch (RejectedExecutionException closed) {
            // closed: nothing runs any more
        }
    }

    @Override
    public Cancellable schedule(long delayMillis, Runnable task) {
        try {
            ScheduledFuture<?> f = executor.schedule(guard(task), delayMillis, TimeUnit.MILLISECONDS);
            return () -> f.cancel(false);
        } catch (RejectedExecutionException closed) {
            return () -> {};
        }
    }

    @Override
    public long nowMillis() {
        return System.currentTimeMillis();
    }

    @Override
    public long monotonicNanos() {
        return System.nanoTime();
    }

    /** A task that throws must not kill the loop (and with it the node): report and go on. */
    private static Runnable guard(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                System.err.println("event loop task failed: " + e);
                e.printStackTrace();
                if (e instanceof Error err && !(err instanceof AssertionError)) throw err;
            }
        };
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
