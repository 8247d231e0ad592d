package raftkv.storage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Group commit: the one owner of all writes to a {@link SegmentedLog}.
 *
 * <p>In threaded mode ({@link #start}) a dedicated I/O thread takes everything queued, writes it,
 * makes it durable with ONE {@link SegmentedLog#sync()}, then runs the callbacks in submission
 * order. Callers (the node's event loop) never block on the disk; callbacks run on the I/O
 * thread, so they should only enqueue work back to the caller's own thread.
 *
 * <p>In synchronous mode ({@link #synchronous}) {@code submit} does the write and the fsync in the
 * calling thread and runs the callback before returning: for tests and the deterministic simulator.
 *
 * <p>After any I/O failure the writer is failed for good: that batch and every later submission
 * fail with the same exception (fsync errors cannot be retried safely; restart and recover).
 */
public final class WalWriter implements AutoCloseable {

    /** Told when a submission is durable, or that it failed. Exactly one method is called, once. */
    public interface Callback {
        void onDurable();

        void onFailure(IOException error);
    }

    /**
     * Other work that must be ordered with the appends around it (saving hard state or a snapshot,
     * resetting the log), run on the I/O thread. Returns true if it appended to the log, so the
     * batch's one fsync must cover it. Its callback, like every other, runs after that fsync.
     */
    @FunctionalInterface
    public interface Task {
        boolean run(SegmentedLog log) throws IOException;
    }

    private sealed interface Op permits Append, DropPrefix, Run, Stop {
        Callback callback();
    }

    private record Append(List<LogRecord> records, Callback callback) implements Op {
    }

    private record DropPrefix(long uptoInclusive, Callback callback) implements Op {
    }

    private record Run(Task task, Callback callback) implements Op {
    }

    private record Stop(Callback callback) implements Op {
    }

    private final SegmentedLog log;
    private final BlockingQueue<Op> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile IOException failure;
    private volatile boolean stopping;
    private long fsyncs;
    private long batches;

    private WalWriter(SegmentedLog log, String threadName) {
        this.log = log;
        if (threadName == null) {
            this.thread = null;
        } else {
            this.thread = new Thread(this::loop, threadName);
            this.thread.setDaemon(true);
        }
    }

    /** Starts a writer with its own I/O thread. */
    public static WalWriter start(SegmentedLog log, String threadName) {
        WalWriter w = new WalWriter(log, threadName);
        w.thread.start();
        return w;
    }

    /** A writer that does each submission in the caller's thread, callback included. */
    public static WalWriter synchronous(SegmentedLog log) {
        return new WalWriter(log, null);
    }

    public SegmentedLog log() {
        return log;
    }

    /** Queues records for append (see {@link SegmentedLog#append}); the callback says when durable. */
    public void submit(List<LogRecord> records, Callback callback) {
        enqueue(new Append(List.copyOf(records), callback));
    }

    /** Convenience: completes with the last index of {@code records} once they are durable. */
    public CompletableFuture<Long> submit(List<LogRecord> records) {
        CompletableFuture<Long> f = new CompletableFuture<>();
        long last = records.isEmpty() ? -1 : records.get(records.size() - 1).index();
        submit(records, futureCallback(f, last));
        return f;
    }

    /** Queues {@link SegmentedLog#dropPrefix}, ordered with the appends around it. */
    public void submitDropPrefix(long uptoInclusive, Callback callback) {
        enqueue(new DropPrefix(uptoInclusive, callback));
    }

    /** Queues a {@link Task}, ordered with the appends and drops around it. */
    public void submitTask(Task task, Callback callback) {
        enqueue(new Run(task, callback));
    }

    public CompletableFuture<Long> submitDropPrefix(long uptoInclusive) {
        CompletableFuture<Long> f = new CompletableFuture<>();
        submitDropPrefix(uptoInclusive, futureCallback(f, uptoInclusive));
        return f;
    }

    private static Callback futureCallback(CompletableFuture<Long> f, long value) {
        return new Callback() {
            @Override
            public void onDurable() {
                f.complete(value);
            }

            @Override
            public void onFailure(IOException error) {
                f.completeExceptionally(error);
            }
        };
    }

    /** Number of fsync calls so far (threaded mode: one per batch that appended something). */
    public synchronized long fsyncCount() {
        return fsyncs;
    }

    public synchronized long batchCount() {
        return batches;
    }

    private void enqueue(Op op) {
        if (thread == null) {
            synchronized (this) {
                process(List.of(op));
            }
            return;
        }
        if (stopping) {
            op.callback().onFailure(new IOException("WAL writer is closed"));
            return;
        }
        queue.add(op);
    }

    private void loop() {
        List<Op> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            queue.drainTo(batch);
            boolean stop = batch.stream().anyMatch(op -> op instanceof Stop);
            synchronized (this) {
                process(batch);
            }
            batch.clear();
            if (stop) {
                List<Op> late = new ArrayList<>();
                queue.drainTo(late);
                for (Op op : late) op.callback().onFailure(new IOException("WAL writer is closed"));
                return;
            }
        }
    }

    /** Writes every op, fsyncs once, then runs callbacks in order. */
    private void process(List<Op> batch) {
        batches++;
        List<Callback> durable = new ArrayList<>(batch.size());
        boolean wrote = false;
        for (Op op : batch) {
            if (failure != null) {
                op.callback().onFailure(failure);
                continue;
            }
            try {
                switch (op) {
                    case Append a -> {
                        log.append(a.records());
                        wrote = true;
                    }
                    case DropPrefix d -> log.dropPrefix(d.uptoInclusive());
                    case Run r -> wrote |= r.task().run(log);
                    case Stop s -> { }
                }
                durable.add(op.callback());
            } catch (IllegalArgumentException e) {
                // A caller bug (gap, oversized record): only this submission is refused.
                op.callback().onFailure(new IOException("WAL submission rejected: " + e.getMessage(), e));
            } catch (IOException e) {
                failure = e;
                op.callback().onFailure(e);
            } catch (RuntimeException e) {
                failure = new IOException("unexpected WAL failure", e);
                op.callback().onFailure(failure);
            }
        }
        if (wrote && failure == null) {
            try {
                log.sync();
                fsyncs++;
            } catch (IOException e) {
                failure = e;
            }
        }
        for (Callback cb : durable) {
            if (failure != null) cb.onFailure(failure);
            else cb.onDurable();
        }
    }

    /** Finishes everything already submitted, then stops the I/O thread. Does not close the log. */
    @Override
    public void close() {
        if (thread == null || stopping) return;
        stopping = true;
        queue.add(new Stop(new Callback() {
            @Override
            public void onDurable() {
            }

            @Override
            public void onFailure(IOException error) {
            }
        }));
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Op> late = new ArrayList<>();
        queue.drainTo(late);
        for (Op op : late) op.callback().onFailure(new IOException("WAL writer is closed"));
    }

    /** Used by tests: the failure that stopped this writer, if any. */
    public IOException failure() {
        return failure;
    }

}
