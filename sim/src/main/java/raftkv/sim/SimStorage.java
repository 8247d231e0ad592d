package raftkv.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import raftkv.node.EventLoop;
import raftkv.node.Storage;
import raftkv.node.VirtualScheduler;
import raftkv.raft.Entry;
import raftkv.raft.HardState;
import raftkv.raft.RestoredState;
import raftkv.raft.Snapshot;

/**
 * A disk that tells "written" from "synced". Every write becomes durable only after a simulated
 * fsync delay, in call order; then its callback runs on the node's loop. A crash discards every
 * write not yet durable (their callbacks never run), and a restart loads only what was durable.
 * The disk outlives the node incarnations that use it.
 */
final class SimStorage implements Storage {
    private final VirtualScheduler time;
    private final LongSupplier fsyncDelay;

    private HardState hardState = HardState.INITIAL;
    private Snapshot snapshot;
    private final List<Entry> log = new ArrayList<>();

    /** Bumped by a crash: writes issued in an earlier epoch never become durable. */
    private long epoch;
    private long lastSyncAt;
    private EventLoop loop;
    private int lostWrites;

    private final Trace trace;
    private final String name;
    private final java.util.function.Consumer<String> badSnapshot;

    SimStorage(VirtualScheduler time, LongSupplier fsyncDelay) {
        this(time, fsyncDelay, new Trace(false), "disk", problem -> { });
    }

    /** {@code badSnapshot} hears of snapshots whose metadata cannot be right. */
    SimStorage(VirtualScheduler time, LongSupplier fsyncDelay, Trace trace, String name,
               java.util.function.Consumer<String> badSnapshot) {
        this.time = time;
        this.fsyncDelay = fsyncDelay;
        this.trace = trace;
        this.name = name;
        this.badSnapshot = badSnapshot;
    }

    private String range(List<Entry> entries) {
        return entries.isEmpty() ? "none" : entries.getFirst().index() + ".." + entries.getLast().index();
    }

    private String describe() {
        return "hs " + hardState + " snap " + (snapshot == null ? "none" : snapshot.meta().index() + "@" + snapshot.meta().term())
                + " log " + range(log);
    }

    /** The loop of the incarnation now using this disk; durability callbacks run there. */
    void attach(EventLoop loop) {
        this.loop = loop;
    }

    @Override
    public RestoredState load() {
        trace.event(time.nowMillis(), name + " load " + describe());
        return new RestoredState(hardState, snapshot, log);
    }

    @Override
    public void persist(HardState hs, Snapshot snap, List<Entry> entries, Runnable onDurable) {
        List<Entry> copy = List.copyOf(entries);
        EventLoop target = loop;
        String what = "hs " + hs + " snap " + (snap == null ? "none" : snap.meta().index() + "@" + snap.meta().term())
                + " entries " + range(copy);
        trace.event(time.nowMillis(), name + " write " + what);
        whenSynced(() -> {
            if (snap != null) installLeaderSnapshot(snap);
            if (hs != null) hardState = hs;
            appendReplacing(copy);
            trace.event(time.nowMillis(), name + " synced " + what + " -> " + describe());
            target.execute(onDurable);
        });
    }

    @Override
    public void saveSnapshot(Snapshot snap) {
        if (snap.meta().term() < 1) {
            badSnapshot.accept("saved its own snapshot at index " + snap.meta().index() + " with term "
                    + snap.meta().term() + " (the term of an entry the core no longer holds)");
        }
        trace.event(time.nowMillis(), name + " write own snapshot " + snap.meta().index() + "@" + snap.meta().term());
        whenSynced(() -> {
            installSnapshot(snap);
            trace.event(time.nowMillis(), name + " synced own snapshot " + snap.meta().index() + " -> " + describe());
        });
    }

    /** Loses every write whose fsync has not completed. */
    void crash() {
        epoch++;
        lastSyncAt = time.nowMillis();
    }

    int lostWrites() {
        return lostWrites;
    }

    private void whenSynced(Runnable makeDurable) {
        long issuedIn = epoch;
        // fsyncs complete in issue order: one may not overtake an earlier one
        long at = Math.max(time.nowMillis() + fsyncDelay.getAsLong(), lastSyncAt);
        lastSyncAt = at;
        time.at(at, () -> {
            if (issuedIn != epoch) {
                lostWrites++;
                return;
            }
            makeDurable.run();
        });
    }

    /**
     * A leader's snapshot replaces the log as the core's own log was replaced (Raft §7): the
     * entries after it survive only if the log holds its last entry with the same term.
     */
    private void installLeaderSnapshot(Snapshot snap) {
        long index = snap.meta().index();
        boolean matches = log.stream().anyMatch(e -> e.index() == index && e.term() == snap.meta().term());
        installSnapshot(snap);
        if (!matches) log.clear();
    }

    /** The node's own snapshot covers applied, hence durable, entries: it only trims the log. */
    private void installSnapshot(Snapshot snap) {
        if (snapshot != null && snapshot.meta().index() >= snap.meta().index()) return;
        snapshot = snap;
        log.removeIf(e -> e.index() <= snap.meta().index());
    }

    private void appendReplacing(List<Entry> entries) {
        for (Entry e : entries) {
            while (!log.isEmpty() && log.getLast().index() >= e.index()) log.removeLast();
            log.add(e);
        }
    }
}
