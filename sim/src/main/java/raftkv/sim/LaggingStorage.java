package raftkv.sim;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import raftkv.node.EventLoop;
import raftkv.node.Storage;
import raftkv.node.VirtualScheduler;
import raftkv.raft.Entry;
import raftkv.raft.RestoredState;
import raftkv.raft.Snapshot;
import raftkv.raft.HardState;
import raftkv.storage.node.DurableStorage;

/**
 * One node incarnation's {@link Storage}: the real {@link DurableStorage} (synchronous writer,
 * over the node's simulated files), with fsync latency in virtual time.
 *
 * <p>A synchronous DurableStorage writes and fsyncs inline, so on its own a write would be durable
 * the moment it is issued and a crash could never catch one in flight. Here each call waits in
 * issue order until its simulated fsync completes (1-5 ms, sometimes up to 30; one never
 * overtakes an earlier one); only then is it handed to DurableStorage, which writes, fsyncs and
 * queues {@code onDurable} on the node's loop. Before that moment the write is "written, not
 * synced": {@link #writeInFlightUnsynced} (called by a crash) writes the waiting calls without
 * their fsyncs, up to the first sync barrier, and the crash that follows keeps a random prefix of
 * those bytes, tearing the last. So a write is acknowledged only after it is really synced in
 * the simulated files, and a crash during the delay may lose it or leave it torn, never
 * acknowledged.
 */
final class LaggingStorage implements Storage {
    private record Pending(long dueAt, String what, Runnable apply) {}

    private final DurableStorage durable;
    private final VirtualScheduler time;
    private final LongSupplier fsyncDelay;
    private final Trace trace;
    private final String name;
    private final Consumer<String> defect;
    private final Consumer<String> violation;
    private final EventLoop loop;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private long lastDueAt;
    private boolean dead;
    /** Deliberate bug, for tests of the harness only: acknowledge at once, sync later. */
    private final boolean ackBeforeFsync;

    /**
     * {@code defect} hears of calls that cannot be right (a snapshot without a real term);
     * {@code violation} of an I/O failure of the storage (the node then stops acknowledging).
     */
    LaggingStorage(DurableStorage durable, VirtualScheduler time, LongSupplier fsyncDelay, Trace trace, String name,
                   Consumer<String> defect, Consumer<String> violation, boolean ackBeforeFsync, EventLoop loop) {
        this.durable = durable;
        this.time = time;
        this.fsyncDelay = fsyncDelay;
        this.trace = trace;
        this.name = name;
        this.defect = defect;
        this.violation = violation;
        this.ackBeforeFsync = ackBeforeFsync;
        this.loop = loop;
    }

    /** Called once, at start, before anything was issued: what the files hold. */
    @Override
    public RestoredState load() {
        RestoredState s = durable.load();
        trace.event(time.nowMillis(), name + " load hs " + s.hardState() + " snap " + describe(s.snapshot())
                + " log " + range(s.entries()));
        return s;
    }

    @Override
    public void persist(HardState hs, Snapshot snap, List<Entry> entries, Runnable onDurable) {
        List<Entry> copy = List.copyOf(entries);
        String what = "hs " + hs + " snap " + describe(snap) + " entries " + range(copy);
        if (ackBeforeFsync) {
            loop.execute(onDurable);
            issue(what, () -> durable.persist(hs, snap, copy, () -> { }));
        } else {
            // the dying process writes but never acknowledges, even if its loop were still running
            issue(what, () -> durable.persist(hs, snap, copy, () -> { if (!dead) onDurable.run(); }));
        }
    }

    @Override
    public void saveSnapshot(Snapshot snap) {
        if (snap.meta().term() < 1) {
            defect.accept("saved its own snapshot at index " + snap.meta().index() + " with term "
                    + snap.meta().term() + " (the term of an entry the core no longer holds)");
        }
        issue("own snapshot " + describe(snap), () -> durable.saveSnapshot(snap));
    }

    private void issue(String what, Runnable apply) {
        long due = Math.max(time.nowMillis() + fsyncDelay.getAsLong(), lastDueAt);
        lastDueAt = due;
        pending.add(new Pending(due, what, apply));
        trace.event(time.nowMillis(), name + " write " + what);
        time.at(due, this::completeDue);
    }

    private void completeDue() {
        while (!dead && !pending.isEmpty() && pending.peek().dueAt() <= time.nowMillis()) {
            Pending p = pending.poll();
            p.apply().run();
            trace.event(time.nowMillis(), name + " synced " + p.what());
            if (durable.failure() != null) {
                dead = true;
                violation.accept(name + " failed: " + durable.failure());
            }
        }
    }

    int inFlight() {
        return pending.size();
    }

    /**
     * The process dies: the calls still waiting for their fsync are written, in order, until
     * {@code stuck} (the dying process reached a sync barrier); none is acknowledged. Returns how
     * many were in flight.
     */
    int writeInFlightUnsynced(BooleanSupplier stuck) {
        dead = true;
        int n = pending.size();
        while (!pending.isEmpty() && !stuck.getAsBoolean()) pending.poll().apply().run();
        pending.clear();
        return n;
    }

    private static String describe(Snapshot s) {
        return s == null ? "none" : s.meta().index() + "@" + s.meta().term();
    }

    private static String range(List<Entry> entries) {
        return entries.isEmpty() ? "none" : entries.getFirst().index() + ".." + entries.getLast().index();
    }
}
