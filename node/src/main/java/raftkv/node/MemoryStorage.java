package raftkv.node;

import java.util.ArrayList;
import java.util.List;

import raftkv.raft.Entry;
import raftkv.raft.HardState;
import raftkv.raft.RestoredState;
import raftkv.raft.Snapshot;

/**
 * Storage in memory that is durable at once: for tests, and for nodes whose "disk" lives as long
 * as the object (a node restarted on the same instance recovers everything persisted).
 */
public final class MemoryStorage implements Storage {
    private HardState hardState = HardState.INITIAL;
    private Snapshot snapshot;
    private final List<Entry> log = new ArrayList<>();

    @Override
    public synchronized RestoredState load() {
        return new RestoredState(hardState, snapshot, log);
    }

    @Override
    public synchronized void persist(HardState hs, Snapshot snap, List<Entry> entries, Runnable onDurable) {
        if (snap != null) installLeaderSnapshot(snap);
        if (hs != null) hardState = hs;
        appendReplacing(log, entries);
        onDurable.run();
    }

    @Override
    public synchronized void saveSnapshot(Snapshot snap) {
        installSnapshot(snap);
    }

    /**
     * A snapshot from the leader replaces the log as the core's own log was replaced: the entries
     * after it survive only if the log holds its last entry with the same term.
     */
    private void installLeaderSnapshot(Snapshot snap) {
        long index = snap.meta().index();
        boolean matches = log.stream().anyMatch(e -> e.index() == index && e.term() == snap.meta().term());
        installSnapshot(snap);
        if (!matches) log.clear();
    }

    private void installSnapshot(Snapshot snap) {
        if (snapshot != null && snapshot.meta().index() >= snap.meta().index()) return;
        snapshot = snap;
        log.removeIf(e -> e.index() <= snap.meta().index());
    }

    /** Appends entries to an in-memory log, replacing any suffix they overlap. */
    static void appendReplacing(List<Entry> log, List<Entry> entries) {
        for (Entry e : entries) {
            while (!log.isEmpty() && log.getLast().index() >= e.index()) log.removeLast();
            log.add(e);
        }
    }
}
