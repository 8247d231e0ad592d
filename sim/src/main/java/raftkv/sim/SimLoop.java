package raftkv.sim;

import java.util.ArrayDeque;
import java.util.function.Consumer;

import raftkv.node.EventLoop;
import raftkv.node.VirtualScheduler;

/**
 * The event loop of one incarnation of a node, on shared virtual time. A crash kills it (its
 * queued tasks and timers never run); a pause holds every task that comes due in a backlog, in
 * order, and a resume replays the backlog.
 */
final class SimLoop implements EventLoop {
    private final VirtualScheduler time;
    private final Consumer<RuntimeException> onFailure;
    private final Runnable afterTask;
    private final ArrayDeque<Runnable> backlog = new ArrayDeque<>();
    private boolean alive = true;
    private boolean paused;

    /** {@code afterTask} runs after every task, e.g. to send what the task produced in a stable order. */
    SimLoop(VirtualScheduler time, Consumer<RuntimeException> onFailure, Runnable afterTask) {
        this.time = time;
        this.onFailure = onFailure;
        this.afterTask = afterTask;
    }

    @Override
    public void execute(Runnable task) {
        time.after(0, () -> run(task));
    }

    @Override
    public Cancellable schedule(long delayMillis, Runnable task) {
        return time.after(delayMillis, () -> run(task));
    }

    @Override
    public long nowMillis() {
        return time.nowMillis();
    }

    /** Runs {@code task} now (a message arriving), or backlogs it while paused. */
    void deliver(Runnable task) {
        run(task);
    }

    private void run(Runnable task) {
        if (!alive) return;
        if (paused) {
            backlog.add(task);
            return;
        }
        try {
            task.run();
        } catch (RuntimeException e) {
            // A node that throws is a finding, not a reason to abandon the whole run.
            onFailure.accept(e);
        }
        afterTask.run();
    }

    boolean alive() {
        return alive;
    }

    boolean paused() {
        return paused;
    }

    void kill() {
        alive = false;
        backlog.clear();
    }

    void pause() {
        paused = true;
    }

    /** Replays the backlog in arrival order, after whatever is already due now. */
    int resume() {
        paused = false;
        int n = backlog.size();
        while (!backlog.isEmpty()) {
            Runnable task = backlog.poll();
            time.after(0, () -> run(task));
        }
        return n;
    }
}
