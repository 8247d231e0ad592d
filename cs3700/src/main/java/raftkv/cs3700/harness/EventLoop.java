package raftkv.cs3700.harness;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The simulation thread's only place to wait: a {@link Selector} over the transport's channels.
 * Whatever is ready is read and handled right there, on the simulation thread, like the course
 * simulator's single-threaded select() loop. A handoff to another thread would cost a second
 * wakeup per routed hop (80-300 µs each on an idle 2-vCPU VM), inflating every latency we grade.
 *
 * <p>Events from other threads (process exits) are queued and the selector woken, so they are
 * seen at once rather than at the next timeout.
 */
final class EventLoop implements AutoCloseable {
    /** Reacts to a registered channel being ready; runs on the simulation thread. */
    interface Handler {
        void ready(SelectionKey key);
    }

    private final Selector selector;
    private final Consumer<SimEvent> sink;
    private final Queue<SimEvent> posted = new ConcurrentLinkedQueue<>();

    /** {@code sink} receives every event, always on the thread that calls {@link #runOnce}. */
    EventLoop(Consumer<SimEvent> sink) throws IOException {
        this.sink = sink;
        this.selector = Selector.open();
    }

    /** Makes {@code channel} non-blocking and calls {@code handler} whenever one of {@code ops} is ready. */
    SelectionKey register(SelectableChannel channel, int ops, Handler handler) throws IOException {
        channel.configureBlocking(false);
        return channel.register(selector, ops, handler);
    }

    /** Hands an event to the simulation now; only from the simulation thread (that is, from a handler). */
    void emit(SimEvent event) {
        sink.accept(event);
    }

    /** From any other thread: the event is handled by the simulation thread as soon as it wakes. */
    void post(SimEvent event) {
        posted.add(event);
        selector.wakeup();
    }

    /**
     * Waits at most {@code maxWaitNanos} for a channel to be ready or an event to be posted, then
     * handles everything that is. Selector timeouts are whole milliseconds, so the wait is rounded
     * up: a timed action may run up to 1 ms late (harmless: a request's latency is measured from
     * when it is actually sent), where rounding down would spin the CPU the replicas need.
     */
    void runOnce(long maxWaitNanos) throws IOException {
        Consumer<SelectionKey> dispatch = key -> {
            // A handler may have closed another channel whose readiness was collected in this round.
            if (key.isValid()) ((Handler) key.attachment()).ready(key);
        };
        if (maxWaitNanos <= 0) {
            selector.selectNow(dispatch);
        } else {
            long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(maxWaitNanos + 999_999));
            selector.select(dispatch, millis);
        }
        for (SimEvent event; (event = posted.poll()) != null; ) sink.accept(event);
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException ignored) {
            // end of run; nothing useful to do
        }
    }
}
