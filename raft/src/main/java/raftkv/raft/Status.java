package raftkv.raft;

import java.util.Map;

/** A read-only view of a core, for dashboards, tests and invariant checks. */
public record Status(int id, Role role, long term, int leader, int votedFor, long commitIndex,
                     long appliedIndex, long lastIndex, long snapshotIndex, Configuration configuration,
                     Map<Integer, Long> matchIndex) {}
