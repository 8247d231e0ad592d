package raftkv.raft;

/**
 * A confirmed linearizable read: the request identified by {@code context} may be served once the
 * state machine has applied {@code index}.
 */
public record ReadState(long context, long index) {}
