package raftkv.raft;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntToLongFunction;

/**
 * With quorum fan-out, followers that went silent together: a narrow round of new entries that
 * came back from none of its followers marks each pair of them, and while the commit has stalled
 * ({@code QuorumFanout.commitStalled}) the leader does not offer entries to both of a marked
 * pair in one round again while another choice of followers exists (unless every other choice
 * holds more followers not heard from in its term), until both have been heard from since.
 *
 * <p>Why: a round goes to the followers heard from most recently, and a partition does not change
 * who that is. A narrow leader whose two most recent followers were one it can reach and one cut
 * off sent every round to that same pair; the transport may carry both answers together (the
 * course replica's relay chains do), so the one that could answer did not get through either,
 * and with every follower then owing an answer nothing moved the choice. The leader, with a
 * quorum on its side, committed nothing until the cut follower had been silent an election
 * timeout, or lost check-quorum first. Silence shared by a pair tells nothing about which of them
 * is gone; the other pairings do, and trying them costs no message more.
 *
 * <p>Only while rounds are narrow: under heavy loss most silences are chance, and wide rounds go
 * to every follower that may answer anyway. Leader state; pure, like the rest of the core.
 */
final class SilentPairs {
    /** At most this many combinations are weighed, in rank order: a cluster of nine has 70 of four. */
    private static final int MAX_COMBINATIONS = 256;
    /** A send is judged once this old: an answer comes back within a tick or two (as FanoutPolicy judges rounds). */
    static final int JUDGE_AFTER_TICKS = 2;

    /** New entries up to {@code lastIndex} went to {@code recipients} at {@code tick}; not judged yet. */
    private record Send(List<Integer> recipients, long lastIndex, long tick) {}

    private final List<Send> pending = new ArrayList<>();
    /** Per marked pair (lower id first, packed): the tick of the send they both left unanswered. */
    private final Map<Long, Long> silentSince = new HashMap<>();

    /** New entries up to {@code lastIndex} went to {@code recipients} (a narrow round, or a retry). */
    void sent(List<Integer> recipients, long lastIndex, long tick, IntToLongFunction matchOf) {
        judge(tick, matchOf);
        if (recipients.size() >= 2) pending.add(new Send(List.copyOf(recipients), lastIndex, tick));
    }

    /**
     * The first {@code width} followers of {@code ranked} (best first) with no marked pair among
     * them, trying combinations in rank order. When every combination holds one, the one whose
     * newest mark is oldest: under loss the pair that could answer is sometimes marked by chance
     * (a relay chain is lost one time in four at 10 % loss), and the choice must come back to it,
     * not stay with the best ranked. Before marks, though, a combination holding fewer followers
     * not heard from since {@code termStartTick} (this leader's election): a new leader has heard
     * nothing yet from the followers that did not vote for it, and after one chain to its two
     * voters was lost by chance it offered entries to every pair holding a follower across a
     * partition (unmarked, so preferred) before coming back to its voters, a second and more.
     * (Not "unheard for an election timeout": a live follower left out of narrow rounds hears
     * only heartbeats, and one lost heartbeat, or an idle leader's slower ones, would make it
     * look gone, and bring back the stall the marks are for.)
     * First, sends old enough are judged (a pair is marked when none of their followers holds
     * what they offered), and pairs both heard from since they were marked are forgotten.
     */
    List<Integer> choose(List<Integer> ranked, int width, long now, long termStartTick, IntToLongFunction matchOf,
                         IntToLongFunction lastHeardTick) {
        judge(now, matchOf);
        silentSince.entrySet().removeIf(e -> heardSince(e.getKey(), e.getValue(), lastHeardTick));
        int n = Math.min(width, ranked.size());
        if (silentSince.isEmpty() || n < 2) return List.copyOf(ranked.subList(0, n));
        int[] pick = new int[n];
        for (int i = 0; i < n; i++) pick[i] = i;
        boolean[] unheard = new boolean[ranked.size()];
        int heard = 0;
        for (int i = 0; i < ranked.size(); i++) {
            unheard[i] = lastHeardTick.applyAsLong(ranked.get(i)) < termStartTick;
            if (!unheard[i]) heard++;
        }
        int fewestUnheard = Math.max(0, n - heard); // no combination of n can hold fewer
        int[] best = null;
        int bestSilent = Integer.MAX_VALUE;
        long bestNewestMark = Long.MAX_VALUE;
        for (int tried = 0; tried < MAX_COMBINATIONS; tried++) {
            int silent = 0;
            for (int i : pick) if (unheard[i]) silent++;
            long newestMark = newestMark(ranked, pick);
            if (silent < bestSilent || silent == bestSilent && newestMark < bestNewestMark) {
                best = pick.clone();
                bestSilent = silent;
                bestNewestMark = newestMark;
                if (silent == fewestUnheard && newestMark == Long.MIN_VALUE) break; // cannot do better
            }
            if (!nextCombination(pick, ranked.size())) break;
        }
        List<Integer> out = new ArrayList<>(n);
        for (int i : best) out.add(ranked.get(i));
        return out;
    }

    /** The tick of the newest mark among the pairs of {@code pick}; MIN_VALUE if none is marked. */
    private long newestMark(List<Integer> ranked, int[] pick) {
        List<Integer> peers = new ArrayList<>(pick.length);
        for (int i : pick) peers.add(ranked.get(i));
        return newestMark(peers);
    }

    private long newestMark(List<Integer> peers) {
        long newest = Long.MIN_VALUE;
        for (int i = 0; i < peers.size(); i++) {
            for (int j = i + 1; j < peers.size(); j++) {
                Long mark = silentSince.get(key(peers.get(i), peers.get(j)));
                if (mark != null) newest = Math.max(newest, mark);
            }
        }
        return newest;
    }

    /**
     * Whether {@code chosen} tries a new combination: some pair was marked, and none of them is in
     * it. A retry of such a choice is not a repeat of what failed, and need not wait longer.
     */
    boolean untried(List<Integer> chosen) {
        return chosen.size() >= 2 && !silentSince.isEmpty() && newestMark(chosen) == Long.MIN_VALUE;
    }

    private void judge(long now, IntToLongFunction matchOf) {
        pending.removeIf(send -> {
            if (now - send.tick() < JUDGE_AFTER_TICKS) return false;
            if (send.recipients().stream().allMatch(peer -> matchOf.applyAsLong(peer) < send.lastIndex())) {
                List<Integer> r = send.recipients();
                for (int i = 0; i < r.size(); i++) {
                    for (int j = i + 1; j < r.size(); j++) silentSince.put(key(r.get(i), r.get(j)), send.tick());
                }
            }
            return true;
        });
    }

    /** Advances {@code pick} (ascending indices into {@code size}) to the next combination in lexicographic order. */
    private static boolean nextCombination(int[] pick, int size) {
        int k = pick.length;
        int i = k - 1;
        while (i >= 0 && pick[i] == size - k + i) i--;
        if (i < 0) return false;
        pick[i]++;
        for (int j = i + 1; j < k; j++) pick[j] = pick[j - 1] + 1;
        return true;
    }

    private static boolean heardSince(long key, long tick, IntToLongFunction lastHeardTick) {
        return lastHeardTick.applyAsLong((int) (key >>> 32)) > tick && lastHeardTick.applyAsLong((int) key) > tick;
    }

    private static long key(int a, int b) {
        return ((long) Math.min(a, b) << 32) | (Math.max(a, b) & 0xffffffffL);
    }
}
