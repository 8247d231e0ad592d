package raftkv.storage;

/** A snapshot read back from disk, checksum verified. */
public record StoredSnapshot(SnapshotMeta meta, byte[] data) {
}
