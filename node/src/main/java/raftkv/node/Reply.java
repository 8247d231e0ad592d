package raftkv.node;

import raftkv.kv.KvResult;

/**
 * The one answer a node gives to each request. Every failure says whether the operation
 * definitely did not happen ({@link NotLeader}, {@link Unavailable}, {@link Rejected}) or may
 * have happened ({@link Unknown}).
 */
public sealed interface Reply {
    /** The operation took effect (or, for a read, was served) with this result. */
    record Done(KvResult result) implements Reply {}

    /** Definitely not done: this node does not lead; {@code leader} is its guess, or -1. */
    record NotLeader(int leader) implements Reply {}

    /** Definitely not done, for a passing reason (a leadership transfer, a read that timed out). */
    record Unavailable(String reason) implements Reply {}

    /** Definitely not done: the request itself is invalid (too large, malformed). */
    record Rejected(String reason) implements Reply {}

    /** Outcome unknown: the write may or may not take effect. Retry within a session to be safe. */
    record Unknown(String reason) implements Reply {}

    default boolean definitelyFailed() {
        return this instanceof NotLeader || this instanceof Unavailable || this instanceof Rejected;
    }
}
