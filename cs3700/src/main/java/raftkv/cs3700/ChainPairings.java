package raftkv.cs3700;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * Which peers a {@link Courier} chains together. A chain (us → a → b → us) comes back only if
 * both partners can be reached: after a partition, a leader that pairs a follower it can reach
 * with one it cannot loses both answers, round after round, though a quorum is on its side. In
 * kept advanced-4 runs (10 % loss, wide rounds to four followers in two chains) such a leader
 * paired each follower on its side with one cut off, committed nothing for 1-3 s, and stepped
 * down for want of a quorum; after a partition that left the leader a majority, the first put
 * took 1.1 s at the median to be answered (cs3700/REPLICA.md).
 *
 * <p>So a pair whose chain came back from neither partner within {@link #JUDGE_AFTER_NANOS} is
 * not chained again while another pairing is possible, until both have been heard from since:
 * with two of four followers cut off, one of the three ways to pair four finds the two that
 * answer, at no message more. (Sending to each directly instead, after two lost chains, ended such
 * stalls too, but cost 30-50 messages a run: under 10 % loss a chain is lost one time in four.)
 * Under plain loss a lost chain only changes who is paired with whom next.
 */
final class ChainPairings {
    /** A chain's answers come back within a few milliseconds; later than this, it was lost. */
    static final long JUDGE_AFTER_NANOS = 20_000_000L;

    private final LongSupplier nanoClock;
    private final ToLongFunction<String> lastHeard;
    /** Chains sent and not judged yet: the pair, and when. */
    private final Map<Set<String>, Long> sent = new HashMap<>();
    /** Pairs whose chain came back from neither partner, and when it was sent. */
    private final Map<Set<String>, Long> failed = new HashMap<>();

    ChainPairings(LongSupplier nanoClock, ToLongFunction<String> lastHeard) {
        this.nanoClock = nanoClock;
        this.lastHeard = lastHeard;
    }

    /** A chain through {@code a} and {@code b} went out now. */
    void chained(String a, String b) {
        sent.put(Set.of(a, b), nanoClock.getAsLong());
    }

    /**
     * {@code peers} (in order of preference) rearranged so that consecutive ones, taken two by
     * two, are partners: each in turn with the next one it has no failed chain with, or, if it has
     * one with every one left, with the next one anyway.
     */
    List<String> order(List<String> peers) {
        judge();
        List<String> left = new ArrayList<>(peers);
        List<String> out = new ArrayList<>(peers.size());
        while (left.size() >= 2) {
            String a = left.removeFirst();
            int partner = 0;
            while (partner < left.size() && failed.containsKey(Set.of(a, left.get(partner)))) partner++;
            if (partner == left.size()) partner = 0;
            out.add(a);
            out.add(left.remove(partner));
        }
        out.addAll(left);
        return out;
    }

    /** Judges the chains old enough; forgets failures once both partners have been heard from since. */
    private void judge() {
        long now = nanoClock.getAsLong();
        sent.entrySet().removeIf(e -> {
            boolean answered = e.getKey().stream().anyMatch(p -> lastHeard.applyAsLong(p) >= e.getValue());
            if (answered) {
                failed.remove(e.getKey());
                return true;
            }
            if (now - e.getValue() < JUDGE_AFTER_NANOS) return false;
            failed.put(e.getKey(), e.getValue());
            return true;
        });
        failed.entrySet().removeIf(e -> e.getKey().stream().allMatch(p -> lastHeard.applyAsLong(p) > e.getValue()));
    }
}
