package raftkv.storage;

/**
 * Raft's persistent per-node state: current term, the vote cast in it, and the commit index.
 * {@code votedFor} is an int node id, {@link #NO_VOTE} (-1) for none, matching the raft core.
 */
public record StoredHardState(long term, int votedFor, long commitIndex) {

    public static final int NO_VOTE = -1;
    public static final StoredHardState INITIAL = new StoredHardState(0, NO_VOTE, 0);

    public StoredHardState {
        if (term < 0) throw new IllegalArgumentException("term must be >= 0: " + term);
        if (votedFor < NO_VOTE) throw new IllegalArgumentException("votedFor must be a node id or -1: " + votedFor);
        if (commitIndex < 0) throw new IllegalArgumentException("commitIndex must be >= 0: " + commitIndex);
    }
}
