package raftkv.raft;

/**
 * Safety bugs that can be switched on, for tests only: they prove that the deterministic simulator
 * and the linearizability checker catch what they claim to catch. Never enabled in a real node.
 */
public enum DeliberateBug {
    /** Grant votes without the election restriction of §5.4.1 (the candidate's log may be behind). */
    SKIP_ELECTION_RESTRICTION,
    /** The node acknowledges a write as soon as it is proposed, before it commits. */
    ACK_BEFORE_COMMIT,
    /** The node serves reads from its local state, on any node, without ReadIndex. */
    READ_WITHOUT_READ_INDEX,
    /** A leader commits an entry of an earlier term by counting replicas (the Figure 8 mistake). */
    COMMIT_PREVIOUS_TERM_BY_COUNTING,
    /**
     * With lease reads, a follower counts its promise to the leader from the ticks delivered, not
     * from the runtime's clock ({@link RaftCore#clockAt}): a late timer ends it early.
     */
    PROMISE_ON_DELIVERED_TICKS
}
