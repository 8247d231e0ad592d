package raftkv.cs3700;

import java.nio.channels.SelectionKey;
import java.util.ArrayDeque;

/**
 * What a non-blocking channel has not taken yet, oldest first. Neither the replica's loop nor the
 * harness's simulation thread may block on a peer that stops reading, nor lose a message because
 * a socket buffer was full, so
 * whatever a write leaves over waits here and the owner asks for OP_WRITE until it is gone. Once
 * anything waits, later items queue behind it, so order is kept.
 *
 * @param <T> one unit of writing: a stream's bytes (may be taken in part) or a whole datagram
 */
public final class Outbox<T> {
    /**
     * One non-blocking write of {@code item}, or of what is left of it; true when it is done with:
     * all written, or given up on (a write error, which the attempt itself reports or ignores).
     */
    public interface Attempt<T> {
        boolean write(T item);
    }

    private final ArrayDeque<T> pending = new ArrayDeque<>();
    private final Attempt<T> attempt;

    public Outbox(Attempt<T> attempt) {
        this.attempt = attempt;
    }

    /** Writes {@code item} at once unless older items wait; true when nothing is left waiting. */
    public boolean send(T item) {
        boolean wasEmpty = pending.isEmpty();
        pending.addLast(item);
        return wasEmpty && flush();
    }

    /** Writes waiting items in order until the channel stops taking them; true when all went. */
    public boolean flush() {
        while (!pending.isEmpty()) {
            if (!attempt.write(pending.peekFirst())) return false;
            pending.removeFirst();
        }
        return true;
    }

    public boolean isEmpty() {
        return pending.isEmpty();
    }

    /** Sets or clears OP_WRITE interest: wanted exactly while an outbox holds what the socket refused. */
    public static void wantWrite(SelectionKey key, boolean wanted) {
        if (!key.isValid()) return;
        int ops = key.interestOps();
        key.interestOps(wanted ? ops | SelectionKey.OP_WRITE : ops & ~SelectionKey.OP_WRITE);
    }
}
