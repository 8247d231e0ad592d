package raftkv.raft;

/** What a snapshot covers: every entry up to and including {@code index}, and the membership then. */
public record SnapshotMeta(long index, long term, Configuration configuration) {}
