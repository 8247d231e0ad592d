package raftkv.kv;

import java.util.List;
import java.util.Objects;

/** The answer to a {@link KvCommand}, as produced identically on every replica. */
public sealed interface KvResult {

    /** The command was applied (Put; UnregisterClient; a no-op entry). */
    record Ok() implements KvResult {
    }

    /** A value read (Get) or removed (Delete); {@code value} is null when the key was absent. */
    record Value(Bytes value) implements KvResult {
    }

    /** Whether a CompareAndSet swapped, and the key's value after it (null: absent). */
    record CasResult(boolean swapped, Bytes current) implements KvResult {
    }

    /** One result per operation of a Batch, in order. */
    record BatchResult(List<KvResult> results) implements KvResult {
        public BatchResult {
            results = List.copyOf(results);
        }
    }

    /** A session was opened with this client id. */
    record Registered(long clientId) implements KvResult {
    }

    /**
     * The session is unknown or has expired. The operation was not applied now, but an earlier
     * attempt of it may have been: the client must treat its outcome as unknown and re-register.
     */
    record SessionExpired(long clientId) implements KvResult {
    }

    /**
     * A duplicate of a request the client had already acknowledged (sequence below its
     * ackedBelow), so its cached reply is gone. Not applied again.
     */
    record StaleRequest(long clientId, long sequence) implements KvResult {
    }

    /** The command was definitely not applied (invalid, malformed, or over a limit). */
    record Rejected(String reason) implements KvResult {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            if (reason.length() > KvLimits.MAX_REASON_CHARS) {
                int cut = KvLimits.MAX_REASON_CHARS;
                if (Character.isHighSurrogate(reason.charAt(cut - 1))) {
                    cut--; // never split a surrogate pair: the cut text must survive UTF-8
                }
                reason = reason.substring(0, cut);
            }
        }
    }

    /**
     * The log entry's index was not above the applied index (a replay after restart); the state
     * machine ignored it. Not an answer for clients.
     */
    record AlreadyApplied(long index, long appliedIndex) implements KvResult {
    }

    KvResult OK = new Ok();
}
