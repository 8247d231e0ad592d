package raftkv.cs3700;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The replica's loop: one thread runs tasks, timers and socket reads, in the order promised. */
class SelectorLoopTest {
    private final SelectorLoop loop = new SelectorLoop("test-loop");
    private final List<String> ran = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        loop.close();
    }

    /** Waits until everything given to the loop so far has run. */
    private void drain() throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> done.complete(null));
        done.get(5, TimeUnit.SECONDS);
    }

    @Test
    void tasksFromAnotherThreadRunOnTheLoopInOrder() throws Exception {
        CompletableFuture<Boolean> onLoop = new CompletableFuture<>();
        for (int i = 0; i < 100; i++) {
            int n = i;
            loop.execute(() -> ran.add("t" + n));
        }
        loop.execute(() -> onLoop.complete(loop.inLoop()));
        assertThat(onLoop.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).hasSize(100).startsWith("t0", "t1").endsWith("t99");
    }

    @Test
    void aTaskDueNowRunsInOrderWithTheTasksAroundIt() throws Exception {
        loop.execute(() -> ran.add("before"));
        loop.schedule(0, () -> ran.add("due now"));
        loop.execute(() -> ran.add("after"));
        drain();
        assertThat(ran).containsExactly("before", "due now", "after");
    }

    @Test
    void timersRunByDueTimeThenInTheOrderScheduledAndCancelledOnesNever() throws Exception {
        CompletableFuture<Void> last = new CompletableFuture<>();
        loop.execute(() -> {
            loop.schedule(30, () -> ran.add("30 ms, first"));
            loop.schedule(10, () -> ran.add("10 ms"));
            loop.schedule(30, () -> ran.add("30 ms, second"));
            loop.schedule(20, () -> ran.add("cancelled")).cancel();
            loop.schedule(40, () -> last.complete(null));
        });
        last.get(5, TimeUnit.SECONDS);
        assertThat(ran).containsExactly("10 ms", "30 ms, first", "30 ms, second");
    }

    /**
     * A message handled in the same loop turn as a timer falls due (queued first) may cancel it:
     * the course replica's round hedge is cancelled so by the answer it waits for.
     */
    @Test
    void aTimerCancelledByATaskQueuedAheadOfItOnceDueNeverRuns() throws Exception {
        java.util.concurrent.CountDownLatch cancelQueued = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<raftkv.node.EventLoop.Cancellable> timer =
                new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.CountDownLatch scheduled = new java.util.concurrent.CountDownLatch(1);
        loop.execute(() -> {
            timer.set(loop.schedule(1, () -> ran.add("timer")));
            scheduled.countDown();
            try {
                // Hold the loop until the cancel is queued from outside and the timer is overdue.
                cancelQueued.await(5, TimeUnit.SECONDS);
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        scheduled.await(5, TimeUnit.SECONDS);
        loop.execute(() -> timer.get().cancel());
        cancelQueued.countDown();
        drain();
        loop.execute(() -> ran.add("after"));
        drain();
        assertThat(ran).containsExactly("after");
    }

    @Test
    void aRegisteredChannelIsReadOnTheLoopAsSoonAsDataComes() throws Exception {
        Pipe pipe = Pipe.open();
        CompletableFuture<String> read = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                loop.register(pipe.source(), SelectionKey.OP_READ, key -> {
                    ByteBuffer b = ByteBuffer.allocate(16);
                    try {
                        pipe.source().read(b);
                    } catch (java.io.IOException e) {
                        read.completeExceptionally(e);
                    }
                    read.complete(new String(b.array(), 0, b.position()) + (loop.inLoop() ? " on the loop" : ""));
                });
            } catch (java.io.IOException e) {
                read.completeExceptionally(e);
            }
        });
        drain();
        pipe.sink().write(ByteBuffer.wrap("hello".getBytes()));
        assertThat(read.get(5, TimeUnit.SECONDS)).isEqualTo("hello on the loop");
    }

    @Test
    void aTaskThatThrowsDoesNotStopTheLoop() throws Exception {
        loop.execute(() -> {
            throw new IllegalStateException("deliberate, in a test");
        });
        loop.execute(() -> ran.add("still running"));
        drain();
        assertThat(ran).containsExactly("still running");
    }

    @Test
    void onceClosedItRunsNothingMore() throws Exception {
        drain();
        loop.close();
        CompletableFuture<Void> timer = new CompletableFuture<>();
        loop.execute(() -> ran.add("after close"));
        loop.schedule(1, () -> timer.complete(null));
        assertThat(ran).isEmpty();
        assertThat(timer).as("dropped when given, not run later").isNotDone();
    }
}
