package raftkv.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Whole runs on the storage module's DurableStorage: crashed nodes recover from their files, and a
 * bit flipped inside a log takes its node out for good while the rest stays linearizable.
 */
class DurableRecoveryTest {
    private static final SimOptions THREE_NODES = SimOptions.defaults().withNodes(3).withOps(300);

    @Test
    void crashedNodesRecoverThroughDurableStorageAndTornTailsAreCut() {
        SimResult r = SimRun.run(1, THREE_NODES.withFaults(EnumSet.of(Fault.CRASHES)), true);
        assertThat(r.passed()).as(r.summaryLine()).isTrue();
        assertThat(r.disks().recoveries()).isPositive();
        assertThat(r.disks().tornTailsCut()).isPositive();
        assertThat(r.disks().refusedStarts()).isZero();
        assertThat(r.traceText()).containsPattern("disk \\d torn tail cut: \\d{20}\\.wal \\d+ -> \\d+ bytes");
    }

    /**
     * Seed 18 (3 nodes, all faults) flips a bit inside a crashed node's log: the node refuses to
     * start with the offset of the damaged record, is never started again, and the other two
     * serve a linearizable history to the end.
     */
    @Test
    void aFlippedBitKeepsItsNodeDownAndTheRestStaysLinearizable() {
        // The first seed whose corruption fault fires (a bit flip on 1 crash in 100): which one that
        // is shifts whenever a seed's draws change, so look for it rather than naming it.
        SimResult r = null;
        for (long seed = 1; seed <= 300 && (r == null || r.disks().refusedStarts() == 0); seed++) {
            r = SimRun.run(seed, THREE_NODES, true);
        }
        assertThat(r.disks().refusedStarts()).as("a corruption fault within 300 seeds").isPositive();
        assertThat(r.passed()).as(r.summaryLine()).isTrue();
        // The two others still make a quorum and go on serving (the exact count shifts with the seed's draws).
        assertThat(r.ok()).isGreaterThan(100);

        String trace = r.traceText();
        Matcher flip = Pattern.compile("disk (\\d) bit flipped: (\\S+) byte (\\d+) bit \\d \\(record at (\\d+)\\)").matcher(trace);
        assertThat(flip.find()).as("a bit was flipped").isTrue();
        String node = flip.group(1);
        String expected = "disk " + node + " refused to start (expected): " + flip.group(2) + " at byte offset "
                + flip.group(4) + ": ";
        assertThat(Long.parseLong(flip.group(3))).isGreaterThanOrEqualTo(Long.parseLong(flip.group(4)));
        int refusedAt = trace.indexOf(expected);
        assertThat(refusedAt).as("refusal naming the file and the damaged record").isPositive();
        List<String> startsAfter = trace.substring(refusedAt).lines().filter(l -> l.endsWith(" start " + node)).toList();
        assertThat(startsAfter).as("node %s never rejoins", node).isEmpty();
    }

    /**
     * The harness can fail: with every disk acknowledging before its fsync, campaigns (3 nodes,
     * all faults, 300 operations) from eight bases (1, 1001, ..., 7001) failed after 3, 27, 5, 2,
     * 10, 16, 9 and 4 seeds. Slow-disk seeds and power outages at a moment with writes in flight
     * make the difference: without them 1 seed in 100 failed.
     */
    @Test
    void aDiskThatAcknowledgesBeforeItsFsyncIsCaught() {
        for (long seed = 1; seed <= 60; seed++) {
            if (!SimRun.run(seed, THREE_NODES, false, true).passed()) return;
        }
        throw new AssertionError("acknowledging before fsync went unnoticed for 60 seeds");
    }

    @Test
    void corruptionAloneStillCrashesNodes() {
        SimResult r = SimRun.run(1, THREE_NODES.withFaults(EnumSet.of(Fault.CORRUPTION)), false);
        assertThat(r.faults()).isPositive();
        assertThat(r.disks().recoveries()).isPositive();
        assertThat(r.passed()).as(r.summaryLine()).isTrue();
    }

    @Test
    void leaseReadsAndQuorumFanoutAreEachOnForSomeSeedsAndOffForOthers() {
        int leases = 0;
        int fanout = 0;
        int seeds = 24;
        for (long seed = 1; seed <= seeds; seed++) {
            String header = SimRun.run(seed, THREE_NODES.withOps(20).withFaults(EnumSet.noneOf(Fault.class)), true)
                    .traceText().lines().filter(l -> l.contains(" leaseReads ")).findFirst().orElseThrow();
            if (header.contains("leaseReads true")) leases++;
            if (header.contains("quorumFanout true")) fanout++;
        }
        assertThat(leases).isBetween(2, seeds - 2);
        assertThat(fanout).isBetween(2, seeds - 2);
    }
}
