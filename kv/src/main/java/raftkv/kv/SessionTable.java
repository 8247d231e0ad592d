package raftkv.kv;

import java.util.Collection;
import java.util.Collections;
import java.util.TreeMap;
import java.util.function.Function;

import raftkv.kv.KvCommand.KvOp;
import raftkv.kv.KvCommand.SessionRequest;

/**
 * Client sessions for exactly-once writes (Raft dissertation section 6.3).
 *
 * <p>Time: the table keeps a clock, the largest leader time seen in any entry, so it never goes
 * backwards even when a new leader's wall clock is behind. A session's last activity is stamped
 * with this clock, so stamps never decrease in log order and the least recently used session
 * (smallest last-active log index) is also the one idle longest. Expiry and capacity eviction
 * both take from that end, in O(log n), identically on every replica.
 */
final class SessionTable {
    private final KvConfig config;
    private final TreeMap<Long, ClientSession> byId = new TreeMap<>();
    /** The same sessions keyed by last-active log index: oldest first. Indexes are unique. */
    private final TreeMap<Long, ClientSession> byLastActive = new TreeMap<>();
    private long clock;

    SessionTable(KvConfig config) {
        this.config = config;
    }

    long clock() {
        return clock;
    }

    int size() {
        return byId.size();
    }

    Collection<ClientSession> sessionsById() {
        return Collections.unmodifiableCollection(byId.values());
    }

    ClientSession session(long clientId) {
        return byId.get(clientId);
    }

    /** The log index of this entry becomes the client id. */
    KvResult register(long index, long leaderTime) {
        advanceClock(leaderTime);
        while (byId.size() >= config.maxSessions()) {
            remove(byLastActive.firstEntry().getValue());
        }
        add(new ClientSession(index, index, clock, 0));
        return new KvResult.Registered(index);
    }

    KvResult unregister(long clientId, long leaderTime) {
        advanceClock(leaderTime);
        ClientSession s = byId.get(clientId);
        if (s == null) {
            return new KvResult.SessionExpired(clientId);
        }
        remove(s);
        return KvResult.OK;
    }

    /**
     * Runs {@code request.op()} through {@code execute} unless it is a duplicate: a retry of a
     * sequence with a cached reply gets that reply; one already acknowledged gets StaleRequest.
     */
    KvResult handle(long index, SessionRequest request, Function<KvOp, KvResult> execute) {
        advanceClock(request.leaderTimeMillis());
        ClientSession s = byId.get(request.clientId());
        if (s == null) {
            return new KvResult.SessionExpired(request.clientId());
        }
        touch(s, index);
        s.acknowledge(request.ackedBelow());
        KvResult cached = s.cachedReply(request.sequence());
        if (cached != null) {
            return cached;
        }
        if (request.sequence() < s.ackedBelow) {
            return new KvResult.StaleRequest(s.clientId, request.sequence());
        }
        if (s.cachedReplyCount() >= config.maxRepliesPerSession()) {
            return new KvResult.Rejected("client " + s.clientId + " has "
                    + s.cachedReplyCount() + " unacknowledged replies, the limit; acknowledge some first");
        }
        KvResult result = execute.apply(request.op());
        s.cacheReply(request.sequence(), result);
        return result;
    }

    /** Moves the clock forward (never back) and expires the sessions idle longer than the TTL. */
    void advanceClock(long leaderTime) {
        clock = Math.max(clock, leaderTime);
        while (!byLastActive.isEmpty()) {
            ClientSession oldest = byLastActive.firstEntry().getValue();
            if (clock - oldest.lastActiveTime <= config.sessionTtlMillis()) {
                break;
            }
            remove(oldest);
        }
    }

    /** For snapshot restore: the clock as it was, without expiring anything. */
    void restoreClock(long value) {
        clock = value;
    }

    /** For snapshot restore. */
    void add(ClientSession s) {
        if (byId.containsKey(s.clientId) || byLastActive.containsKey(s.lastActiveIndex)) {
            throw new IllegalStateException("duplicate session " + s.clientId + " or activity index "
                    + s.lastActiveIndex);
        }
        byId.put(s.clientId, s);
        byLastActive.put(s.lastActiveIndex, s);
    }

    private void touch(ClientSession s, long index) {
        byLastActive.remove(s.lastActiveIndex);
        s.lastActiveIndex = index;
        s.lastActiveTime = clock;
        byLastActive.put(index, s);
    }

    private void remove(ClientSession s) {
        byId.remove(s.clientId);
        byLastActive.remove(s.lastActiveIndex);
    }
}
