package raftkv.kv;

import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One client's exactly-once state: the replies to requests it has not yet acknowledged, keyed by
 * sequence number, and when it was last active (log index and leader time).
 */
final class ClientSession {
    final long clientId;
    long lastActiveIndex;
    long lastActiveTime;
    /** Every sequence below this has been acknowledged by the client; never decreases. */
    long ackedBelow;
    private final TreeMap<Long, KvResult> replies = new TreeMap<>();

    ClientSession(long clientId, long lastActiveIndex, long lastActiveTime, long ackedBelow) {
        this.clientId = clientId;
        this.lastActiveIndex = lastActiveIndex;
        this.lastActiveTime = lastActiveTime;
        this.ackedBelow = ackedBelow;
    }

    /** Records the client's acknowledgement and drops the replies it covers. */
    void acknowledge(long below) {
        if (below > ackedBelow) {
            ackedBelow = below;
            replies.headMap(below, false).clear();
        }
    }

    KvResult cachedReply(long sequence) {
        return replies.get(sequence);
    }

    void cacheReply(long sequence, KvResult result) {
        replies.put(sequence, result);
    }

    int cachedReplyCount() {
        return replies.size();
    }

    /** Sorted by sequence, for snapshots. */
    NavigableMap<Long, KvResult> replies() {
        return Collections.unmodifiableNavigableMap(replies);
    }
}
