package raftkv.raft;

/**
 * Tuning of one core. Times are in ticks: the runtime decides how long a tick is.
 *
 * @param electionTicks     a follower that hears no leader for a random time in
 *                          [electionTicks, 2*electionTicks) campaigns; a leader that hears from no
 *                          quorum for electionTicks steps down (check-quorum)
 * @param heartbeatTicks    an idle leader sends heartbeats this often
 * @param maxInflight       appends in flight per follower before the leader waits for answers
 * @param maxBytesPerAppend upper bound on the entry bytes of one AppendRequest
 * @param snapshotChunkBytes bytes of snapshot data per InstallSnapshot chunk
 * @param preVote           rehearse elections so a rejoining node cannot depose a healthy leader
 * @param checkQuorum       leaders step down without a quorum; followers keep a leader lease
 */
public record RaftConfig(
        int id,
        int electionTicks,
        int heartbeatTicks,
        int maxInflight,
        int maxBytesPerAppend,
        int snapshotChunkBytes,
        boolean preVote,
        boolean checkQuorum) {

    public RaftConfig {
        if (heartbeatTicks < 1) throw new IllegalArgumentException("heartbeatTicks must be >= 1");
        if (electionTicks <= heartbeatTicks) {
            throw new IllegalArgumentException("electionTicks must exceed heartbeatTicks");
        }
        if (maxInflight < 1) throw new IllegalArgumentException("maxInflight must be >= 1");
        if (maxBytesPerAppend < 1 || snapshotChunkBytes < 1) {
            throw new IllegalArgumentException("message size limits must be positive");
        }
    }

    /** Sensible defaults: 10-tick elections, 1-tick heartbeats, 64 appends of up to 1 MiB in flight. */
    public static RaftConfig defaults(int id) {
        return new RaftConfig(id, 10, 1, 64, 1 << 20, 1 << 20, true, true);
    }

    public RaftConfig withElectionTicks(int election, int heartbeat) {
        return new RaftConfig(id, election, heartbeat, maxInflight, maxBytesPerAppend,
                snapshotChunkBytes, preVote, checkQuorum);
    }

    public RaftConfig withLimits(int inflight, int bytesPerAppend, int chunkBytes) {
        return new RaftConfig(id, electionTicks, heartbeatTicks, inflight, bytesPerAppend, chunkBytes,
                preVote, checkQuorum);
    }

    public RaftConfig withPreVote(boolean on) {
        return new RaftConfig(id, electionTicks, heartbeatTicks, maxInflight, maxBytesPerAppend,
                snapshotChunkBytes, on, checkQuorum);
    }

    public RaftConfig withCheckQuorum(boolean on) {
        return new RaftConfig(id, electionTicks, heartbeatTicks, maxInflight, maxBytesPerAppend,
                snapshotChunkBytes, preVote, on);
    }
}
