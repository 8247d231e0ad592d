package raftkv.node;

import java.util.PriorityQueue;

/**
 * Deterministic virtual time for many nodes in one thread: tasks run in (time, submission) order
 * and the clock jumps to each task's time. Nothing here reads the wall clock, so a run is a pure
 * function of its inputs and seeds.
 */
public final class VirtualScheduler {
    private record Task(long time, long seq, Runnable action, boolean[] cancelled) implements Comparable<Task> {
        @Override
        public int compareTo(Task o) {
            int c = Long.compare(time, o.time);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long now;
    private long seq;

    public long nowMillis() {
        return now;
    }

    public EventLoop.Cancellable at(long time, Runnable action) {
        boolean[] cancelled = {false};
        queue.add(new Task(Math.max(time, now), seq++, action, cancelled));
        return () -> cancelled[0] = true;
    }

    public EventLoop.Cancellable after(long delay, Runnable action) {
        return at(now + delay, action);
    }

    /** Runs tasks until the clock would pass {@code time}; the clock ends at {@code time}. */
    public void runUntil(long time) {
        while (!queue.isEmpty() && queue.peek().time() <= time) {
            Task t = queue.poll();
            now = t.time();
            if (!t.cancelled()[0]) t.action().run();
        }
        now = Math.max(now, time);
    }

    public void runFor(long millis) {
        runUntil(now + millis);
    }

    /**
     * An event loop on this virtual time. {@code alive} lets a crashed node's queued tasks die
     * with it: they are skipped while it returns false.
     */
    public EventLoop loop(java.util.function.BooleanSupplier alive) {
        return new EventLoop() {
            @Override
            public void execute(Runnable task) {
                at(now, () -> { if (alive.getAsBoolean()) task.run(); });
            }

            @Override
            public Cancellable schedule(long delayMillis, Runnable task) {
                return after(delayMillis, () -> { if (alive.getAsBoolean()) task.run(); });
            }

            @Override
            public long nowMillis() {
                return now;
            }
        };
    }
}
