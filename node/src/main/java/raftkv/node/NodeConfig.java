package raftkv.node;

import raftkv.kv.KvConfig;
import raftkv.raft.RaftConfig;

/**
 * How a node runs.
 *
 * @param tickMillis        how long one Raft tick lasts
 * @param requestTimeoutMillis a request not answered by then gets Unknown (writes) or Unavailable (reads)
 * @param snapshotEvery     take a snapshot after this many applied entries (0: never)
 */
public record NodeConfig(RaftConfig raft, KvConfig kv, long tickMillis, long requestTimeoutMillis, long snapshotEvery) {
    public NodeConfig {
        if (tickMillis < 1) throw new IllegalArgumentException("tickMillis must be >= 1");
        if (requestTimeoutMillis < 1) throw new IllegalArgumentException("requestTimeoutMillis must be >= 1");
        if (snapshotEvery < 0) throw new IllegalArgumentException("snapshotEvery must be >= 0");
    }

    /** 10 ms ticks, so elections start after 100-200 ms of silence; 10,000-entry snapshots. */
    public static NodeConfig defaults(int id) {
        return new NodeConfig(RaftConfig.defaults(id), KvConfig.DEFAULT, 10, 5_000, 10_000);
    }

    public NodeConfig withRaft(RaftConfig r) {
        return new NodeConfig(r, kv, tickMillis, requestTimeoutMillis, snapshotEvery);
    }

    public NodeConfig withTiming(long tick, long requestTimeout) {
        return new NodeConfig(raft, kv, tick, requestTimeout, snapshotEvery);
    }

    public NodeConfig withSnapshotEvery(long n) {
        return new NodeConfig(raft, kv, tickMillis, requestTimeoutMillis, n);
    }
}
