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

    SimStorage(VirtualScheduler time, LongSupplier fsyncDelay) {
        this.time = time;
        this.fsyncDelay = fsyncDelay;
    }

    /** The loop of the incarnation now using this disk; durability callbacks run there. */
    void attach(EventLoop loop) {
        this.loop = loop;
    }

    @Override
    public RestoredState load() {
        return new RestoredState(hardState, snapshot, log);
    }

    @Override
    public void persist(HardState hs, Snapshot snap, List<Entry> entries, Runnable onDurable) {
        List<Entry> copy = List.copyOf(entries);
        EventLoop target = loop;
        whenSynced(() -> {
            if (snap != null) installSnapshot(snap);
            if (hs != null) hardState = hs;
            appendReplacing(copy);
            target.execute(onDurable);
        });
    }

    @Override
    public void saveSnapshot(Snapshot snap) {
        whenSynced(() -> installSnapshot(snap));
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

    private void installSnapshot(Snapshot snap) {
        if (snapshot != null && snapshot.meta().index() >= snap.meta().index()) return;
        long index = snap.meta().index();
        // Raft §7: keep the suffix only if the log holds the snapshot's last entry; else discard it all.
        boolean matches = log.stream().anyMatch(e -> e.index() == index && e.term() == snap.meta().term());
        snapshot = snap;
        if (matches) log.removeIf(e -> e.index() <= index);
        else log.clear();
    }

    private void appendReplacing(List<Entry> entries) {
        for (Entry e : entries) {
            while (!log.isEmpty() && log.getLast().index() >= e.index()) log.removeLast();
            log.add(e);
        }
    }
}
