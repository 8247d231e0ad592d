package raftkv.cs3700.harness;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides whether a get's answer is linearizable with respect to the puts on the same key.
 *
 * <p>Each logical put (one unique value, however many MIDs its retries used) is an operation
 * open from its first send until its first {@code ok}; a put never acknowledged stays open for
 * ever, because the cluster may still have applied it (a leader can commit and then crash
 * before answering). A get open over {@code [issued, answered]} may return value {@code v} when:
 * <ul>
 *   <li>{@code v} is the value of a put P on that key, P was sent before the get was answered,
 *       and no put Q on that key both started after P was acknowledged and was itself
 *       acknowledged before the get was issued (such a Q has certainly overwritten P); or</li>
 *   <li>{@code v} is {@code ""} and no put on that key was acknowledged before the get was issued.</li>
 * </ul>
 * So the "last put answered ok before the get" is always accepted, and so is any put that was
 * concurrent with the get or with that last put; nothing correct is flagged. Times are the
 * harness's monotonic clock (nanoseconds), all read on the one simulation thread.
 */
public final class ConsistencyChecker {
    private static final long OPEN = Long.MAX_VALUE;

    private static final class Put {
        final String value;
        final long issuedAt;
        long ackedAt = OPEN;

        Put(String value, long issuedAt) {
            this.value = value;
            this.issuedAt = issuedAt;
        }
    }

    private final Map<String, List<Put>> putsByKey = new HashMap<>();
    private final Map<String, Put> putsByKeyAndValue = new HashMap<>();

    /** Records the first send of a logical put. Values must be unique per key. */
    public void putIssued(String key, String value, long at) {
        Put put = new Put(value, at);
        if (putsByKeyAndValue.putIfAbsent(key + "\u0000" + value, put) != null) {
            throw new IllegalArgumentException("value " + value + " put twice on key " + key);
        }
        putsByKey.computeIfAbsent(key, k -> new ArrayList<>()).add(put);
    }

    /** Records the first {@code ok} of a logical put; later acknowledgements change nothing. */
    public void putAcked(String key, String value, long at) {
        Put put = putsByKeyAndValue.get(key + "\u0000" + value);
        if (put != null && put.ackedAt == OPEN) put.ackedAt = at;
    }

    /** True when at least one put on some key has been acknowledged. */
    public boolean anyKeyStored() {
        return putsByKey.values().stream().flatMap(List::stream).anyMatch(p -> p.ackedAt != OPEN);
    }

    /** True when {@code value} is an acceptable answer to a get on {@code key} open over [issuedAt, answeredAt]. */
    public boolean getIsCorrect(String key, long issuedAt, long answeredAt, String value) {
        List<Put> puts = putsByKey.getOrDefault(key, List.of());
        if (value.isEmpty()) {
            return puts.stream().noneMatch(q -> q.ackedAt < issuedAt);
        }
        Put p = putsByKeyAndValue.get(key + "\u0000" + value);
        if (p == null || p.issuedAt >= answeredAt) return false;
        if (p.ackedAt == OPEN) return true;
        long pAcked = p.ackedAt;
        return puts.stream().noneMatch(q -> q.issuedAt > pAcked && q.ackedAt < issuedAt);
    }

    /** Description of the answers a get issued now would accept, for error messages. */
    public String latestAcknowledged(String key, long before) {
        return putsByKey.getOrDefault(key, List.of()).stream()
                .filter(p -> p.ackedAt < before)
                .max((a, b) -> Long.compare(a.ackedAt, b.ackedAt))
                .map(p -> "\"" + p.value + "\"")
                .orElse("\"\"");
    }
}
