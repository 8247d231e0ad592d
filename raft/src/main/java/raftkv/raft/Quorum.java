package raftkv.raft;

import java.util.Arrays;
import java.util.Set;
import java.util.function.ToLongFunction;

/** Majority arithmetic over the voters of a configuration. */
final class Quorum {
    private Quorum() {}

    /** The largest value that a majority of voters has reached (for example, the commit point). */
    static long majorityValue(Set<Integer> voters, ToLongFunction<Integer> valueOf) {
        long[] values = new long[voters.size()];
        int i = 0;
        for (int id : voters) values[i++] = valueOf.applyAsLong(id);
        Arrays.sort(values);
        // With n voters sorted ascending, the value at n - quorum is held by at least a quorum.
        return values[values.length - (values.length / 2 + 1)];
    }

    static boolean isMajority(Set<Integer> voters, java.util.function.IntPredicate yes) {
        int count = 0;
        for (int id : voters) if (yes.test(id)) count++;
        return count >= voters.size() / 2 + 1;
    }

    /** Whether enough voters said no that a majority can no longer say yes. */
    static boolean isLost(Set<Integer> voters, java.util.function.IntPredicate no) {
        int count = 0;
        for (int id : voters) if (no.test(id)) count++;
        return count > voters.size() - (voters.size() / 2 + 1);
    }
}
