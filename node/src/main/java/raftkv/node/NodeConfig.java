package raftkv.node;

import raftkv.kv.KvConfig;
import raftkv.raft.RaftConfig;

/**
 * How a node runs.
 *
 * @param tickMillis        how long one Raft tick lasts
 * @param requestTimeoutMillis a request not answered by then gets Unknown (writes) or Unavailable (reads)
 * @param snapshotEvery     take a snapshot after this many applied entries (0: never)
 * @param snapshotEveryBytes or after this many bytes of applied entries (0: no byte limit), so a
 *                          few large values do not grow the log unboundedly between snapshots
 */
public record NodeConfig(RaftConfig raft, KvConfig kv, long tickMillis, long requestTimeoutMillis, long snapshotEvery,
                         long snapshotEveryBytes) {
    public NodeConfig {
        if (tickMillis < 1) throw new IllegalArgumentException("tickMillis must be >= 1");
        if (requestTimeoutMillis < 1) throw new IllegalArgumentException("requestTimeoutMillis must be >= 1");
        if (snapshotEvery < 0) throw new IllegalArgumentException("snapshotEvery must be >= 0");
        if (snapshotEveryBytes < 0) throw new IllegalArgumentException("snapshotEveryBytes must be >= 0");
    }

    /** 10 ms ticks, so elections start after 100-200 ms of silence; snapshots every 10,000 entries or 64 MiB. */
    public static NodeConfig defaults(int id) {
        return new NodeConfig(RaftConfig.defaults(id), KvConfig.DEFAULT, 10, 5_000, 10_000, 64L << 20);
    }

    public NodeConfig withRaft(RaftConfig r) {
        return new NodeConfig(r, kv, tickMillis, requestTimeoutMillis, snapshotEvery, snapshotEveryBytes);
    }

    public NodeConfig withTiming(long tick, long requestTimeout) {
        return new NodeConfig(raft, kv, tick, requestTimeout, snapshotEvery, snapshotEveryBytes);
    }

    public NodeConfig withSnapshotEvery(long n) {
        return new NodeConfig(raft, kv, tickMillis, requestTimeoutMillis, n, snapshotEveryBytes);
    }

    public NodeConfig withSnapshotEveryBytes(long bytes) {
        return new NodeConfig(raft, kv, tickMillis, requestTimeoutMillis, snapshotEvery, bytes);
    }
}
