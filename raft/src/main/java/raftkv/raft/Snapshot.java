package raftkv.raft;

/** A state-machine snapshot: its metadata and the application's serialized state. */
public record Snapshot(SnapshotMeta meta, byte[] data) {
    @Override
    public String toString() {
        return "Snapshot[" + meta.index() + "@" + meta.term() + ", " + data.length + "B]";
    }
}
