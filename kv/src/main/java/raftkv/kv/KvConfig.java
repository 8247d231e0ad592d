package raftkv.kv;

/**
 * Session policy. Part of the replicated state (stored in snapshots), so every replica must be
 * created with the same values.
 *
 * @param sessionTtlMillis        a session idle longer than this, by leader-proposed time, expires
 * @param maxSessions             registering beyond this evicts the least recently used session
 * @param maxRepliesPerSession    most unacknowledged cached replies a session may hold; a new
 *                                request beyond it is rejected until the client acknowledges
 */
public record KvConfig(long sessionTtlMillis, int maxSessions, int maxRepliesPerSession) {
    /** 10 minutes, 10,000 sessions, 1,024 outstanding replies per session. */
    public static final KvConfig DEFAULT = new KvConfig(10 * 60 * 1000L, 10_000, 1024);

    public KvConfig {
        if (sessionTtlMillis <= 0) {
            throw new IllegalArgumentException("sessionTtlMillis must be positive, was " + sessionTtlMillis);
        }
        if (maxSessions <= 0) {
            throw new IllegalArgumentException("maxSessions must be positive, was " + maxSessions);
        }
        if (maxRepliesPerSession <= 0) {
            throw new IllegalArgumentException("maxRepliesPerSession must be positive, was " + maxRepliesPerSession);
        }
    }
}
