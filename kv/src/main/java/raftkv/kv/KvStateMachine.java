package raftkv.kv;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import raftkv.kv.KvCommand.KvOp;
import raftkv.kv.KvCommand.RegisterClient;
import raftkv.kv.KvCommand.SessionRequest;
import raftkv.kv.KvCommand.UnregisterClient;

/**
 * The replicated state machine every replica applies committed log entries to, in log order.
 * Single-threaded and deterministic: the same entries give the same results and byte-identical
 * snapshots on every replica.
 *
 * <p>Index rules: an entry whose index is not above {@link #appliedIndex()} is ignored (state
 * unchanged, result {@link KvResult.AlreadyApplied}), so a node may replay its log from any point
 * after a restart. Indexes may skip (entries the node does not hand to kv, such as membership
 * changes). An empty entry (the leader's no-op) only advances the applied index. A malformed or
 * invalid entry also advances it and gets {@link KvResult.Rejected} — identically everywhere,
 * since it is a function of the bytes alone.
 */
public final class KvStateMachine {
    private final KvConfig config;
    private final KvStore store = new KvStore();
    private final SessionTable sessions;
    private long appliedIndex;

    public KvStateMachine() {
        this(KvConfig.DEFAULT);
    }

    public KvStateMachine(KvConfig config) {
        this(config, 0);
    }

    KvStateMachine(KvConfig config, long appliedIndex) {
        this.config = config;
        this.sessions = new SessionTable(config);
        this.appliedIndex = appliedIndex;
    }

    /** Applies one committed entry and returns the encoded {@link KvResult}. Never throws for bad bytes. */
    public byte[] apply(long index, byte[] encodedCommand) {
        return KvCodec.encode(applyEntry(index, encodedCommand));
    }

    /** As {@link #apply(long, byte[])}, returning the typed result. */
    public KvResult applyEntry(long index, byte[] encodedCommand) {
        if (index <= appliedIndex) {
            return new KvResult.AlreadyApplied(index, appliedIndex);
        }
        if (encodedCommand == null || encodedCommand.length == 0) {
            appliedIndex = index;
            return KvResult.OK;
        }
        KvCommand command;
        try {
            command = KvCodec.decodeCommand(encodedCommand);
        } catch (MalformedCommandException e) {
            appliedIndex = index;
            return new KvResult.Rejected(e.getMessage());
        }
        return apply(index, command);
    }

    /** Applies one typed command as the entry at {@code index}. */
    public KvResult apply(long index, KvCommand command) {
        if (index <= appliedIndex) {
            return new KvResult.AlreadyApplied(index, appliedIndex);
        }
        appliedIndex = index;
        String problem = KvValidator.problem(command);
        if (problem != null) {
            return new KvResult.Rejected(problem);
        }
        return switch (command) {
            case KvOp op -> store.apply(op);
            case RegisterClient r -> sessions.register(index, r.leaderTimeMillis());
            case UnregisterClient u -> sessions.unregister(u.clientId(), u.leaderTimeMillis());
            case SessionRequest s -> sessions.handle(index, s, store::apply);
        };
    }

    public long appliedIndex() {
        return appliedIndex;
    }

    public KvConfig config() {
        return config;
    }

    // ---- local reads (after ReadIndex, or stale reads); they never change state ----

    /** Serves a Get without the log. */
    public KvResult.Value read(KvCommand.Get get) {
        return new KvResult.Value(store.get(get.key()));
    }

    /** The value of {@code key}, or null. */
    public Bytes get(Bytes key) {
        return store.get(key);
    }

    /** Up to {@code limit} entries in key order with {@code from <= key < to}; null bounds are open. */
    public List<Map.Entry<Bytes, Bytes>> scan(Bytes fromInclusive, Bytes toExclusive, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, was " + limit);
        }
        return store.scan(fromInclusive, toExclusive, limit);
    }

    public int keyCount() {
        return store.size();
    }

    /** Sum of the lengths of all keys and values held. */
    public long dataBytes() {
        return store.totalBytes();
    }

    public int sessionCount() {
        return sessions.size();
    }

    /** The session clock: the largest leader time seen so far. */
    public long leaderClockMillis() {
        return sessions.clock();
    }

    /** Whether {@code clientId} has a live session. */
    public boolean hasSession(long clientId) {
        return sessions.session(clientId) != null;
    }

    // ---- snapshots ----

    /** The whole state (map, sessions, applied index, clock) in the snapshot format. */
    public byte[] snapshot() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(
                (int) Math.min(Integer.MAX_VALUE - 64, 64 + store.totalBytes() + 8L * store.size()));
        try {
            writeSnapshot(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen for a byte array
        }
        return out.toByteArray();
    }

    /** Streams the snapshot to {@code out} (which is flushed, not closed). */
    public void writeSnapshot(OutputStream out) throws IOException {
        SnapshotCodec.write(this, out);
    }

    /** A state machine equal to the one that wrote {@code snapshot}; throws {@link CorruptSnapshotException}. */
    public static KvStateMachine restore(byte[] snapshot) {
        return SnapshotCodec.read(snapshot);
    }

    /** Reads a whole snapshot from {@code in} (not closed) and restores it. */
    public static KvStateMachine restore(InputStream in) throws IOException {
        return SnapshotCodec.read(in.readAllBytes());
    }

    KvStore store() {
        return store;
    }

    SessionTable sessions() {
        return sessions;
    }
}
