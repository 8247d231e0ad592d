package raftkv.raft;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * The cluster membership: voters decide elections and commitment; learners only receive the log
 * (they catch up before being promoted). Kept as a value so that membership changes replace it.
 */
public record Configuration(Set<Integer> voters, Set<Integer> learners) {
    public Configuration {
        // Sorted, not Set.copyOf: the core iterates these sets (vote requests, quorum counts), and
        // Set.copyOf's iteration order changes from one JVM to the next, which made a seeded
        // simulation run differently on every launch.
        voters = Collections.unmodifiableSortedSet(new TreeSet<>(voters));
        learners = Collections.unmodifiableSortedSet(new TreeSet<>(learners));
        if (voters.isEmpty()) throw new IllegalArgumentException("a configuration needs at least one voter");
        for (int l : learners) {
            if (voters.contains(l)) throw new IllegalArgumentException("node " + l + " is both voter and learner");
        }
    }

    public static Configuration ofVoters(Set<Integer> voters) {
        return new Configuration(voters, Set.of());
    }

    public boolean isVoter(int id) {
        return voters.contains(id);
    }

    public boolean contains(int id) {
        return voters.contains(id) || learners.contains(id);
    }

    /** Every member in ascending id order: voters and learners. */
    public TreeSet<Integer> members() {
        TreeSet<Integer> all = new TreeSet<>(voters);
        all.addAll(learners);
        return all;
    }

    public int quorum() {
        return voters.size() / 2 + 1;
    }
}
