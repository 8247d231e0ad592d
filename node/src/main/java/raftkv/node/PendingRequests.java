package raftkv.node;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import raftkv.kv.Bytes;

/**
 * Client requests a node has accepted but not yet answered. Each is answered exactly once: by its
 * result, by a definite failure, or — when the node cannot know — as unknown at its deadline.
 */
final class PendingRequests {
    record Write(long index, long term, long deadline, Consumer<Reply> reply) {}

    record Read(Bytes key, long deadline, Consumer<Reply> reply) {}

    /** Proposed writes by log index. */
    private final TreeMap<Long, Write> writes = new TreeMap<>();
    /** Reads waiting for the leader to confirm a read index, by context. */
    private final Map<Long, Read> unconfirmedReads = new HashMap<>();
    /** Confirmed reads waiting for the state machine to reach their index. */
    private final TreeMap<Long, List<Read>> confirmedReads = new TreeMap<>();
    private long nextReadContext = 1;

    void addWrite(long index, long term, long deadline, Consumer<Reply> reply) {
        Write old = writes.put(index, new Write(index, term, deadline, reply));
        // A leader proposes at each index once per term: a leftover is from an older term and lost.
        if (old != null) old.reply().accept(new Reply.NotLeader(-1));
    }

    /** The entry at {@code index} was applied with {@code term}; returns the waiting write, if ours. */
    Write takeWrite(long index, long term) {
        Write w = writes.remove(index);
        if (w == null) return null;
        if (w.term() != term) {
            // Another leader's entry took this index: ours was overwritten and can never commit.
            w.reply().accept(new Reply.NotLeader(-1));
            return null;
        }
        return w;
    }

    /** A snapshot jumped the state machine past these indexes: whether they took effect is unknown. */
    void skipWritesThrough(long index) {
        while (!writes.isEmpty() && writes.firstKey() <= index) {
            writes.pollFirstEntry().getValue().reply().accept(
                    new Reply.Unknown("replaced by a snapshot before the outcome was seen"));
        }
    }

    long addRead(Bytes key, long deadline, Consumer<Reply> reply) {
        long ctx = nextReadContext++;
        unconfirmedReads.put(ctx, new Read(key, deadline, reply));
        return ctx;
    }

    void removeRead(long context) {
        unconfirmedReads.remove(context);
    }

    /** The leader confirmed read {@code context} at {@code index}. */
    void confirmRead(long context, long index) {
        Read r = unconfirmedReads.remove(context);
        if (r != null) confirmedReads.computeIfAbsent(index, i -> new ArrayList<>()).add(r);
    }

    void failRead(long context, Reply reply) {
        Read r = unconfirmedReads.remove(context);
        if (r != null) r.reply().accept(reply);
    }

    /** Reads whose index the state machine has now reached. */
    List<Read> readsReadyAt(long applied) {
        List<Read> out = new ArrayList<>();
        while (!confirmedReads.isEmpty() && confirmedReads.firstKey() <= applied) {
            out.addAll(confirmedReads.pollFirstEntry().getValue());
        }
        return out;
    }

    /** Answers everything past its deadline. */
    void expire(long now) {
        for (Iterator<Write> it = writes.values().iterator(); it.hasNext(); ) {
            Write w = it.next();
            if (w.deadline() <= now) {
                it.remove();
                w.reply().accept(new Reply.Unknown("timed out waiting for the write to commit"));
            }
        }
        for (Iterator<Read> it = unconfirmedReads.values().iterator(); it.hasNext(); ) {
            Read r = it.next();
            if (r.deadline() <= now) {
                it.remove();
                r.reply().accept(new Reply.Unavailable("timed out confirming leadership for a read"));
            }
        }
        for (var lists = confirmedReads.values().iterator(); lists.hasNext(); ) {
            List<Read> list = lists.next();
            list.removeIf(r -> {
                if (r.deadline() > now) return false;
                r.reply().accept(new Reply.Unavailable("timed out waiting to apply up to the read index"));
                return true;
            });
            if (list.isEmpty()) lists.remove();
        }
    }

    int size() {
        int confirmed = confirmedReads.values().stream().mapToInt(List::size).sum();
        return writes.size() + unconfirmedReads.size() + confirmed;
    }
}
