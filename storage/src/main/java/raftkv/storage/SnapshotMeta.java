package raftkv.storage;

/**
 * What a snapshot covers: the last log index and term included, and the cluster configuration
 * (membership) at that point as opaque bytes the raft layer encodes.
 */
public record SnapshotMeta(long lastIndex, long lastTerm, byte[] configuration) {

    public SnapshotMeta {
        if (lastIndex < 0 || lastTerm < 0) throw new IllegalArgumentException("snapshot index/term must be >= 0: " + lastIndex + "/" + lastTerm);
        if (configuration == null) throw new IllegalArgumentException("configuration must not be null (use an empty array)");
    }
}
