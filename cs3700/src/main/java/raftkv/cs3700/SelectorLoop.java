package raftkv.cs3700;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import raftkv.node.EventLoop;

/**
 * An event loop whose one thread also does the replica's socket I/O: it waits in a {@link
 * Selector} until a message comes or a timer is due, and handles the message itself. With a
 * reader thread handing messages to a loop thread instead, every message would wake two threads;
 * on a VM whose CPUs go idle between messages a wake-up costs 100 µs or more, and a course run
 * is judged on reply latencies of a few milliseconds, every replicated write crossing three
 * replicas. Tasks from other threads (tests, the JIT warm-up's private cluster) still work: they
 * are queued and the selector woken.
 */
final class SelectorLoop implements EventLoop, AutoCloseable {
    private final Selector selector;
    private final Thread thread;
    /** Tasks from other threads; moved to {@link #ready} by the loop. */
    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    /** Tasks to run now, in order (loop thread only). */
    private final ArrayDeque<Runnable> ready = new ArrayDeque<>();
    /** Scheduled tasks by due time, then by scheduling order (loop thread only). */
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private long timersScheduled;
    private volatile boolean closed;

    /** A timer runs as itself (no wrapping lambda: under C1 each allocation of one went through a method handle). */
    private static final class Timer implements Comparable<Timer>, Cancellable, Runnable {
        final long dueNanos;
        final long seq;
        final Runnable task;
        volatile boolean cancelled;

        Timer(long dueNanos, long seq, Runnable task) {
            this.dueNanos = dueNanos;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public int compareTo(Timer o) {
            int byTime = Long.compare(dueNanos - o.dueNanos, 0); // nanoTime: compare differences
            return byTime != 0 ? byTime : Long.compare(seq, o.seq);
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        /** Checked again when it runs: a task queued before it (a message that came meanwhile) may cancel it. */
        @Override
        public void run() {
            if (!cancelled) task.run();
        }
    }

    SelectorLoop(String name) {
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    @Override
    public void execute(Runnable task) {
        if (closed) return;
        if (inLoop()) {
            ready.add(task);
        } else {
            inbox.add(task);
            selector.wakeup();
        }
    }

    @Override
    public Cancellable schedule(long delayMillis, Runnable task) {
        long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, delayMillis));
        if (delayMillis <= 0) {
            // Due now: in order with the tasks executed before and after it, as a task would be.
            Timer now = new Timer(due, 0, task);
            execute(now);
            return now;
        }
        if (inLoop()) return addTimer(due, task);
        Timer[] made = new Timer[1];
        Cancellable handle = () -> {
            if (made[0] != null) made[0].cancel();
        };
        execute(() -> made[0] = addTimer(due, task));
        return handle;
    }

    private Timer addTimer(long dueNanos, Runnable task) {
        Timer t = new Timer(dueNanos, timersScheduled++, task);
        timers.add(t);
        return t;
    }

    /**
     * Calls {@code onReady} on the loop whenever {@code channel} is ready for {@code ops}. Call on
     * the loop; the channel is made non-blocking.
     */
    SelectionKey register(SelectableChannel channel, int ops, Consumer<SelectionKey> onReady) throws IOException {
        if (!inLoop()) throw new IllegalStateException("register on the loop thread");
        channel.configureBlocking(false);
        return channel.register(selector, ops, onReady);
    }

    @Override
    public long nowMillis() {
        return System.currentTimeMillis();
    }

    @Override
    public long monotonicNanos() {
        return System.nanoTime();
    }

    private void run() {
        try {
            while (!closed) {
                for (Runnable r; (r = inbox.poll()) != null; ) ready.add(r);
                runDueTimers();
                while (!ready.isEmpty() && !closed) guarded(ready.poll());
                if (closed) break;
                waitForIo();
            }
        } finally {
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing: nothing to do
            }
        }
    }

    private void runDueTimers() {
        long now = System.nanoTime();
        while (!timers.isEmpty() && timers.peek().dueNanos - now <= 0) {
            Timer t = timers.poll();
            if (!t.cancelled) ready.add(t);
        }
    }

    /** Waits until I/O is ready, a task comes from another thread or the next timer is due, and handles the I/O. */
    private void waitForIo() {
        try {
            if (!inbox.isEmpty()) {
                selector.selectNow();
            } else if (timers.isEmpty()) {
                selector.select();
            } else {
                long waitNanos = timers.peek().dueNanos - System.nanoTime();
                if (waitNanos <= 0) selector.selectNow();
                else selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos + 999_999)));
            }
        } catch (IOException e) {
            System.err.println("selector failed: " + e);
            return;
        }
        for (SelectionKey key : selector.selectedKeys()) {
            if (key.isValid()) guarded(key.attachment(), key);
        }
        selector.selectedKeys().clear();
    }

    /** A task that throws must not kill the loop (and with it the replica): report and go on. */
    private static void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | AssertionError e) {
            reportFailure(e);
        }
    }

    /** As {@link #guarded(Runnable)}, for a channel's handler (no lambda allocated per ready key). */
    @SuppressWarnings("unchecked")
    private static void guarded(Object onReady, SelectionKey key) {
        try {
            ((Consumer<SelectionKey>) onReady).accept(key);
        } catch (RuntimeException | AssertionError e) {
            reportFailure(e);
        }
    }

    private static void reportFailure(Throwable e) {
        System.err.println("event loop task failed: " + e);
        e.printStackTrace();
    }

    /** Stops the loop; tasks given to it afterwards are dropped. */
    @Override
    public void close() {
        closed = true;
        selector.wakeup();
    }
}
