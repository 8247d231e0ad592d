package raftkv.node;

import java.util.List;

import raftkv.raft.Entry;
import raftkv.raft.HardState;
import raftkv.raft.RestoredState;
import raftkv.raft.Snapshot;

/**
 * A node's stable storage. The node calls it only from its event loop; an implementation may
 * do the I/O elsewhere, but must run {@code onDurable} on the loop, and in call order.
 */
public interface Storage {
    /** What survived the last run (or an empty state for a new node). */
    RestoredState load();

    /**
     * Makes the given state durable, then runs {@code onDurable}. {@code snapshot} (a snapshot
     * received from the leader) and {@code hardState} may be null. An entry at an index the log
     * already holds replaces that entry and everything after it.
     */
    void persist(HardState hardState, Snapshot snapshot, List<Entry> entries, Runnable onDurable);

    /**
     * Stores a snapshot the node took of its own state machine; log entries up to its index may be
     * discarded once it is durable.
     */
    void saveSnapshot(Snapshot snapshot);
}
