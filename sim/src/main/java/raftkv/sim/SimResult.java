package raftkv.sim;

import java.util.List;

import raftkv.checker.Verdict;

/**
 * What one seed's run produced.
 *
 * @param operations     client operations recorded (ok + failed + unknown)
 * @param faults         nemesis faults injected (partitions, crashes, pauses)
 * @param disks          crash recoveries, torn tails cut, expected refusals to start
 * @param elections      terms in which some node became leader
 * @param traceHash      hash of every trace event: equal for two runs of the same seed
 * @param violations     invariant violations seen during the run (empty when all held)
 * @param defects        known node defects seen (e.g. a snapshot saved with term -1): reported, not failing
 * @param historyLines   the history in the checker's JSON lines format
 * @param traceText      the full trace, when it was asked for (else empty)
 */
public record SimResult(long seed, int nodes, int operations, long ok, long failed, long unknown, int faults,
                        long dropped, long duplicated, DiskStats disks, int elections, long virtualMillis,
                        long traceEvents, long traceHash, List<String> violations, List<String> defects, Verdict verdict,
                        List<String> historyLines, String traceText) {

    public SimResult {
        violations = List.copyOf(violations);
        defects = List.copyOf(defects);
        historyLines = List.copyOf(historyLines);
    }

    /** Every invariant held and the history is (proven) linearizable. */
    public boolean passed() {
        return violations.isEmpty() && verdict.isLinearizable();
    }

    public String summaryLine() {
        return "seed " + seed + ": " + operations + " ops (" + ok + " ok, " + failed + " failed, " + unknown
                + " unknown), faults " + faults + " (+" + dropped + " dropped, " + duplicated + " duplicated msgs, "
                + disks.inFlightAtCrashes() + " writes in flight at crashes), recoveries " + disks.recoveries() + " ("
                + disks.tornTailsCut() + " torn tails cut" + (disks.refusedStarts() == 0 ? "" : ", "
                + disks.refusedStarts() + " corrupt log(s) refused") + "), leaders elected " + elections + ", " + virtualMillis
                + " ms simulated -> " + (violations.isEmpty() ? "" : violations.size() + " INVARIANT VIOLATION(S), ")
                + (defects.isEmpty() ? "" : defects.size() + " node defect(s), ")
                + verdict;
    }
}
