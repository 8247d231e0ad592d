package raftkv.checker;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The Wing &amp; Gong search with Lowe's memoisation ("WGL") over one partition's operations.
 *
 * <p>Call and return events sit in a doubly linked list ordered by time. The search walks the list
 * from its head: a call whose operation the model accepts in the current state is linearized
 * ("lifted": its call and return leave the list) unless the pair (set of linearized operations,
 * resulting state) was seen before; reaching a return event means the operation it belongs to
 * had to be linearized already, so the search backtracks ("unlifts" the latest choice) and tries
 * the next candidate. An empty list means every operation found its place.
 *
 * <p>Operations with unknown outcome return at +infinity, so they can always be placed last, which
 * is equivalent to never taking effect.
 */
final class WglSearch {

    enum Status { LINEARIZABLE, NOT_LINEARIZABLE, TIMED_OUT, OUT_OF_MEMORY }

    /**
     * {@code bestPrefix}: operation indices of the linearized prefix that placed the most
     * known-outcome operations (unknown-outcome ones can always be placed, so they do not count).
     */
    record Result(Status status, int[] bestPrefix, long steps) {}

    private static final int NIL = -1;
    private static final long MAX_CACHED_WORDS = 60_000_000L; // ~480 MB of bitsets

    private final Operation[] ops;
    private final String initialState;
    private final Deadline deadline;

    // Entry e in [0, 2n): op index opOf[e], isCall[e]; HEAD = 2n is the sentinel.
    private final int[] next;
    private final int[] prev;
    private final int[] opOf;
    private final boolean[] isCall;
    private final int[] returnOf; // call entry -> its return entry
    private final int head;

    WglSearch(List<Operation> operations, String initialState, Deadline deadline) {
        this.ops = operations.toArray(Operation[]::new);
        this.initialState = initialState;
        this.deadline = deadline;
        int n = ops.length;
        Integer[] events = new Integer[2 * n];
        for (int i = 0; i < 2 * n; i++) {
            events[i] = i;
        }
        // Event 2i is op i's call, 2i+1 its return. At equal times calls come first, so operations
        // that merely touch are treated as concurrent (the permissive reading).
        Arrays.sort(events, (a, b) -> {
            int c = Long.compare(time(a), time(b));
            if (c != 0) return c;
            c = Boolean.compare((a & 1) == 1, (b & 1) == 1);
            return c != 0 ? c : Integer.compare(a, b);
        });
        next = new int[2 * n + 1];
        prev = new int[2 * n + 1];
        opOf = new int[2 * n];
        isCall = new boolean[2 * n];
        returnOf = new int[2 * n];
        head = 2 * n;
        int[] positionOfEvent = new int[2 * n];
        for (int pos = 0; pos < 2 * n; pos++) {
            int ev = events[pos];
            opOf[pos] = ev >> 1;
            isCall[pos] = (ev & 1) == 0;
            positionOfEvent[ev] = pos;
        }
        for (int i = 0; i < n; i++) {
            returnOf[positionOfEvent[2 * i]] = positionOfEvent[2 * i + 1];
        }
        int last = head;
        for (int pos = 0; pos < 2 * n; pos++) {
            next[last] = pos;
            prev[pos] = last;
            last = pos;
        }
        next[last] = NIL;
        if (n == 0) next[head] = NIL;
    }

    private long time(int event) {
        Operation op = ops[event >> 1];
        return (event & 1) == 0 ? op.invoke() : op.complete();
    }

    Result run() {
        int n = ops.length;
        long[] zobrist = new long[n];
        SplittableRandom random = new SplittableRandom(0x5eed);
        for (int i = 0; i < n; i++) {
            zobrist[i] = random.nextLong();
        }
        long[] linearized = new long[(n + 63) >>> 6];
        long setHash = 0;
        Set<CacheKey> cache = new HashSet<>();
        long cachedWords = 0;

        int[] stackEntry = new int[n];
        String[] stackState = new String[n];
        int depth = 0;
        int knownPlaced = 0;
        int bestKnownPlaced = -1;
        int[] bestPrefix = new int[0];

        String state = initialState;
        int entry = next[head];
        long steps = 0;
        while (next[head] != NIL) {
            if ((++steps & 1023) == 0 && deadline.passed()) {
                return new Result(Status.TIMED_OUT, bestPrefix, steps);
            }
            if (isCall[entry]) {
                int op = opOf[entry];
                if (Model.accepts(state, ops[op])) {
                    String after = Model.apply(state, ops[op]);
                    linearized[op >>> 6] |= 1L << op;
                    long hash = setHash ^ zobrist[op];
                    CacheKey probe = new CacheKey(linearized, after, hash);
                    if (!cache.contains(probe)) {
                        cache.add(new CacheKey(linearized.clone(), after, hash));
                        cachedWords += linearized.length + 4;
                        if (cachedWords > MAX_CACHED_WORDS) {
                            return new Result(Status.OUT_OF_MEMORY, bestPrefix, steps);
                        }
                        setHash = hash;
                        stackEntry[depth] = entry;
                        stackState[depth] = state;
                        depth++;
                        state = after;
                        lift(entry);
                        if (ops[op].outcome() == Outcome.OK) knownPlaced++;
                        if (knownPlaced > bestKnownPlaced) {
                            bestKnownPlaced = knownPlaced;
                            bestPrefix = new int[depth];
                            for (int d = 0; d < depth; d++) bestPrefix[d] = opOf[stackEntry[d]];
                        }
                        entry = next[head];
                        continue;
                    }
                    linearized[op >>> 6] &= ~(1L << op);
                }
                entry = next[entry];
            } else {
                if (depth == 0) {
                    return new Result(Status.NOT_LINEARIZABLE, bestPrefix, steps);
                }
                depth--;
                entry = stackEntry[depth];
                state = stackState[depth];
                int op = opOf[entry];
                if (ops[op].outcome() == Outcome.OK) knownPlaced--;
                linearized[op >>> 6] &= ~(1L << op);
                setHash ^= zobrist[op];
                unlift(entry);
                entry = next[entry];
            }
        }
        return new Result(Status.LINEARIZABLE, bestPrefix, steps);
    }

    private void lift(int call) {
        remove(call);
        remove(returnOf[call]);
    }

    private void unlift(int call) {
        restore(returnOf[call]);
        restore(call);
    }

    private void remove(int e) {
        next[prev[e]] = next[e];
        if (next[e] != NIL) prev[next[e]] = prev[e];
    }

    private void restore(int e) {
        next[prev[e]] = e;
        if (next[e] != NIL) prev[next[e]] = e;
    }

    /** (set of linearized operations, model state): a configuration already explored. */
    private static final class CacheKey {
        final long[] bits;
        final String state;
        final int hash;

        CacheKey(long[] bits, String state, long setHash) {
            this.bits = bits;
            this.state = state;
            long h = setHash * 31 + (state == null ? 0x9e3779b9L : state.hashCode());
            this.hash = (int) (h ^ (h >>> 32));
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof CacheKey k && k.hash == hash
                    && java.util.Objects.equals(k.state, state) && Arrays.equals(k.bits, bits);
        }
    }
}
