package raftkv.sim;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.BooleanSupplier;

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
    private final DiskContext context;
    private final VirtualScheduler time;
    private final EventLoop loop;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private long lastDueAt;
    private boolean dead;

    /**
     * The context's {@code defect} hears of calls that cannot be right (a snapshot without a real
     * term), its {@code violation} of an I/O failure of the storage (the node then stops
     * acknowledging); its {@code ackBeforeFsync} is a deliberate bug, for tests of the harness
     * only: acknowledge at once, sync later.
     */
    LaggingStorage(DurableStorage durable, DiskContext context, EventLoop loop) {
        this.durable = durable;
        this.context = context;
        this.time = context.time();
        this.loop = loop;
    }

    /** Called once, at start, before anything was issued: what the files hold. */
    @Override
    public RestoredState load() {
        RestoredState s = durable.load();
        context.event("load hs " + s.hardState() + " snap " + describe(s.snapshot())
                + " log " + range(s.entries()));
        return s;
    }

    @Override
    public void persist(HardState hs, Snapshot snap, List<Entry> entries, Runnable onDurable) {
        List<Entry> copy = List.copyOf(entries);
        String what = "hs " + hs + " snap " + describe(snap) + " entries " + range(copy);
        if (context.ackBeforeFsync()) {
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
            context.defect().accept("saved its own snapshot at index " + snap.meta().index() + " with term "
                    + snap.meta().term() + " (the term of an entry the core no longer holds)");
        }
        issue("own snapshot " + describe(snap), () -> durable.saveSnapshot(snap));
    }

    private void issue(String what, Runnable apply) {
        long due = Math.max(time.nowMillis() + context.fsyncDelay().getAsLong(), lastDueAt);
        lastDueAt = due;
        pending.add(new Pending(due, what, apply));
        context.event("write " + what);
        time.at(due, this::completeDue);
    }

    private void completeDue() {
        while (!dead && !pending.isEmpty() && pending.peek().dueAt() <= time.nowMillis()) {
            Pending p = pending.poll();
            p.apply().run();
            context.event("synced " + p.what());
            if (durable.failure() != null) {
                dead = true;
                context.violate("failed: " + durable.failure());
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
