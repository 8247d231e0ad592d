package raftkv.cs3700.harness;

import java.util.ArrayDeque;

/**
 * What a non-blocking channel has not taken yet, oldest first. The simulation thread must never
 * block on a replica that stops reading, nor lose a message because a socket buffer was full, so
 * whatever a write leaves over waits here and the owner asks for OP_WRITE until it is gone. Once
 * anything waits, later items queue behind it, so order is kept.
 *
 * @param <T> one unit of writing: a stream's bytes (may be taken in part) or a whole datagram
 */
final class Outbox<T> {
    /**
     * One non-blocking write of {@code item}, or of what is left of it; true when it is done with:
     * all written, or given up on (a write error, which the attempt itself reports or ignores).
     */
    interface Attempt<T> {
        boolean write(T item);
    }

    private final ArrayDeque<T> pending = new ArrayDeque<>();
    private final Attempt<T> attempt;

    Outbox(Attempt<T> attempt) {
        this.attempt = attempt;
    }

    /** Writes {@code item} at once unless older items wait; true when nothing is left waiting. */
    boolean send(T item) {
        boolean wasEmpty = pending.isEmpty();
        pending.addLast(item);
        return wasEmpty && flush();
    }

    /** Writes waiting items in order until the channel stops taking them; true when all went. */
    boolean flush() {
        while (!pending.isEmpty()) {
            if (!attempt.write(pending.peekFirst())) return false;
            pending.removeFirst();
        }
        return true;
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }
}
