package raftkv.cs3700;

import raftkv.node.NodeConfig;
import raftkv.raft.RaftConfig;

/**
 * Timing of a course-simulator replica. The simulator counts every peer message, so heartbeats
 * are sparse; elections must still end well within a client's patience after a leader dies.
 *
 * @param startupMillis   no peer message before this long after the JVM started: every peer must
 *                        have said hello first (PROTOCOL.md, "the start-up trap")
 * @param holdLimitMillis a request held while no live leader is known fails after this long
 */
record ReplicaTuning(long tickMillis, int electionTicks, int heartbeatTicks, long startupMillis, long holdLimitMillis) {
    static final ReplicaTuning DEFAULT = new ReplicaTuning(10, 30, 15, 2_500, 3_000);

    /** How often a follower holding client requests asks the leader for a sign of life. */
    long pingIntervalMillis() {
        return 30;
    }

    NodeConfig nodeConfig(int id) {
        RaftConfig raft = RaftConfig.defaults(id)
                .withElectionTicks(electionTicks, heartbeatTicks)
                .withLimits(64, 16 * 1024, 16 * 1024);
        return NodeConfig.defaults(id).withRaft(raft).withTiming(tickMillis, 2_000).withSnapshotEvery(0);
    }
}
