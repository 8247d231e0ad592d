package raftkv.kv;

import java.util.List;
import java.util.Objects;

/**
 * Everything a Raft log entry can ask of the state machine. An empty log entry (the leader's
 * no-op) is not a command: {@link KvStateMachine#apply(long, byte[])} treats it as a no-op.
 *
 * <p>Records check only nulls; sizes are checked by {@link KvValidator} (and by the decoder).
 */
public sealed interface KvCommand {

    /** A data operation; may be applied bare (no exactly-once) or inside a {@link SessionRequest}. */
    sealed interface KvOp extends KvCommand permits KeyOp, Batch {
    }

    /** An operation on one key; the parts a {@link Batch} is made of. */
    sealed interface KeyOp extends KvOp permits Put, Get, Delete, CompareAndSet {
        Bytes key();
    }

    /** Sets {@code key} to {@code value}. Result: {@link KvResult.Ok}. */
    record Put(Bytes key, Bytes value) implements KeyOp {
        public Put {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    /** Reads {@code key} through the log. Result: {@link KvResult.Value}. */
    record Get(Bytes key) implements KeyOp {
        public Get {
            Objects.requireNonNull(key, "key");
        }
    }

    /** Removes {@code key}. Result: {@link KvResult.Value} holding the previous value or null. */
    record Delete(Bytes key) implements KeyOp {
        public Delete {
            Objects.requireNonNull(key, "key");
        }
    }

    /**
     * If the current value equals {@code expected} ({@code null}: the key must be absent), sets it
     * to {@code newValue} ({@code null}: deletes it). Result: {@link KvResult.CasResult}.
     */
    record CompareAndSet(Bytes key, Bytes expected, Bytes newValue) implements KeyOp {
        public CompareAndSet {
            Objects.requireNonNull(key, "key");
        }
    }

    /** Applies {@code ops} in order, all in one log entry. Result: {@link KvResult.BatchResult}. */
    record Batch(List<KeyOp> ops) implements KvOp {
        public Batch {
            ops = List.copyOf(ops);
        }
    }

    /**
     * Opens a client session; the log index of this entry becomes the client id.
     * Result: {@link KvResult.Registered}.
     */
    record RegisterClient(long leaderTimeMillis) implements KvCommand {
    }

    /** Closes a session, dropping its reply cache. Result: Ok, or SessionExpired if unknown. */
    record UnregisterClient(long clientId, long leaderTimeMillis) implements KvCommand {
    }

    /**
     * The exactly-once envelope around a client's operation.
     *
     * @param clientId         the session, from {@link RegisterClient}
     * @param sequence         the client's number for this request; a retry reuses it
     * @param ackedBelow       the client has seen replies for every sequence below this, so
     *                         their cached replies may be dropped; must be {@code <= sequence}
     * @param leaderTimeMillis wall-clock time proposed by the leader; drives session expiry
     * @param op               the operation
     */
    record SessionRequest(long clientId, long sequence, long ackedBelow, long leaderTimeMillis, KvOp op)
            implements KvCommand {
        public SessionRequest {
            Objects.requireNonNull(op, "op");
        }
    }
}
