package raftkv.raft;

import java.util.List;

/**
 * Everything the runtime must do after the core changed, in this order:
 * <ol>
 *   <li>send {@link #messages()} at once (a leader's appends go out while its own disk works);</li>
 *   <li>persist {@link #snapshot()} if present, {@link #hardState()} if present, and
 *       {@link #entries()} (an entry at an index the log already holds replaces that suffix),
 *       durably. A snapshot replaces the log up to its index; the entries after it stay only if
 *       the log holds the snapshot's last entry (same index and term), otherwise the whole log
 *       goes, as the core's own log did;</li>
 *   <li>then send {@link #messagesAfterPersist()}: answers that promise what was just persisted
 *       (votes granted, entries acknowledged);</li>
 *   <li>restore the state machine from the snapshot if present, apply
 *       {@link #committed()} in order, serve {@link #readStates()} once applied;</li>
 *   <li>call {@link RaftCore#advance(Ready)}.</li>
 * </ol>
 */
public record Ready(
        Role role,
        int leader,
        long term,
        HardState hardState,
        Snapshot snapshot,
        List<Entry> entries,
        List<Message> messages,
        List<Message> messagesAfterPersist,
        List<Entry> committed,
        List<ReadState> readStates) {

    public boolean mustPersist() {
        return hardState != null || snapshot != null || !entries.isEmpty();
    }
}
