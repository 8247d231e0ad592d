package raftkv.raft;

import java.util.List;

/**
 * What a node had on stable storage when it started: its hard state, its latest snapshot (or
 * null) and the log entries after that snapshot.
 */
public record RestoredState(HardState hardState, Snapshot snapshot, List<Entry> entries) {
    public RestoredState {
        entries = List.copyOf(entries);
    }

    public static RestoredState empty() {
        return new RestoredState(HardState.INITIAL, null, List.of());
    }
}
