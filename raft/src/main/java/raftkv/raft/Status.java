package raftkv.raft;

import java.util.Map;

/**
 * A read-only view of a core, for dashboards, tests and invariant checks.
 *
 * @param heavyLoss a leader with quorum fan-out whose rounds have widened: most answers are being
 *                  lost (see FanoutPolicy); a transport that batches may then prefer direct routes
 */
public record Status(int id, Role role, long term, int leader, int votedFor, long commitIndex,
                     long appliedIndex, long lastIndex, long snapshotIndex, Configuration configuration,
                     Map<Integer, Long> matchIndex, boolean heavyLoss) {}
