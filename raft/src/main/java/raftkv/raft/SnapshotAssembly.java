package raftkv.raft;

import java.io.ByteArrayOutputStream;

/** A follower's partially received snapshot: chunks must arrive in order, from offset 0. */
final class SnapshotAssembly {
    final SnapshotMeta meta;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    SnapshotAssembly(SnapshotMeta meta) {
        this.meta = meta;
    }

    long size() {
        return bytes.size();
    }

    void append(byte[] chunk) {
        bytes.writeBytes(chunk);
    }

    Snapshot build() {
        return new Snapshot(meta, bytes.toByteArray());
    }
}
