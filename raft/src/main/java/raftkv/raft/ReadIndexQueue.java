package raftkv.raft;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The leader's linearizable reads (ReadIndex, thesis §6.4). A read may be served at the commit
 * index the leader had when the read arrived, once the leader has confirmed with a quorum that it
 * was still the leader at that moment. Reads arriving together share one confirmation round: they
 * wait in {@code unassigned} until the core starts the next round.
 */
final class ReadIndexQueue {
    private record Waiting(long context, long index, long round) {}

    private final List<Long> unassigned = new ArrayList<>();
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private long round;

    void add(long context) {
        unassigned.add(context);
    }

    boolean hasUnassigned() {
        return !unassigned.isEmpty();
    }

    long currentRound() {
        return round;
    }

    /** Starts a round for every unassigned read at the given commit index; returns the round number. */
    long startRound(long commitIndex) {
        round++;
        for (long ctx : unassigned) waiting.addLast(new Waiting(ctx, commitIndex, round));
        unassigned.clear();
        return round;
    }

    /** Starts a round that no read waits on (it renews the leader's lease). */
    long startEmptyRound() {
        return ++round;
    }

    /** A quorum has confirmed every round up to {@code confirmed}: those reads are safe now. */
    void release(long confirmed, List<ReadState> out) {
        while (!waiting.isEmpty() && waiting.peekFirst().round() <= confirmed) {
            Waiting w = waiting.removeFirst();
            out.add(new ReadState(w.context(), w.index()));
        }
    }

    boolean isEmpty() {
        return unassigned.isEmpty() && waiting.isEmpty();
    }

    /** Leadership was lost: every pending read must be retried elsewhere. Returns their contexts. */
    List<Long> drain() {
        List<Long> dropped = new ArrayList<>(unassigned);
        for (Waiting w : waiting) dropped.add(w.context());
        unassigned.clear();
        waiting.clear();
        return dropped;
    }
}
