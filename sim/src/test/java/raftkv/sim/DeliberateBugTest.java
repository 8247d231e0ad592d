package raftkv.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import raftkv.raft.DeliberateBug;

/**
 * The harness can fail: with each deliberate safety bug switched on in every node, a campaign
 * (3 nodes, all faults, 200 operations per seed) finds a violation within a stated number of
 * seeds. The bounds come from experiment: campaigns started at eight bases (1, 1001, ..., 7001)
 * and the number of seeds each needed to its first failure; the bounds carry a wide margin.
 */
class DeliberateBugTest {
    @TempDir
    Path out;

    /** Caught within 1-2 seeds from every base tried; about 88% of seeds fail. */
    @Test
    void ackBeforeCommitIsCaught() {
        assertCaughtWithin(DeliberateBug.ACK_BEFORE_COMMIT, 3, Fault.all(), 10);
    }

    /** Caught within 1-9 seeds from every base tried (two builds of raft/node); about 30% of seeds fail. */
    @Test
    void readWithoutReadIndexIsCaught() {
        assertCaughtWithin(DeliberateBug.READ_WITHOUT_READ_INDEX, 3, Fault.all(), 30);
    }

    /**
     * Needs crashes or partitions that leave divergent logs (all faults are on); caught within 1-2
     * seeds from every base tried; about half of the seeds fail, mostly as "committed entry changed".
     */
    @Test
    void skipElectionRestrictionIsCaught() {
        assertCaughtWithin(DeliberateBug.SKIP_ELECTION_RESTRICTION, 3, Fault.all(), 20);
    }

    /*
     * COMMIT_PREVIOUS_TERM_BY_COUNTING has no random-campaign test here: 0 failures in 400 seeds (200 with 3 nodes and crashes, drops, delay and
     * partitions; 200 with 5 nodes and all faults), even with a third of the seeds replicating one
     * entry per append. Showing this bug needs the Figure 8 schedule: an old-term entry reaching
     * a majority ahead of the new leader's no-op, the leader dying in that one-message window, and
     * a node holding a conflicting entry of a later term winning next. Random faults almost never
     * line that up (later measurements with storm seeds: 1 failing seed in 300 at 5 nodes, 0 in
     * 400 at 3 nodes). Figure8ScenarioTest scripts that schedule on the simulator's own cluster
     * and catches the bug every time: that is the check for this bug.
     */
    private void assertCaughtWithin(DeliberateBug bug, int nodes, Set<Fault> faults, int seeds) {
        SimOptions options = SimOptions.defaults().withNodes(nodes).withFaults(faults).withOps(200)
                .withSeeds(1, seeds).withBugs(EnumSet.of(bug)).stoppingAtFirstFailure(true).withOutputDir(out);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        SimulateTool.Campaign c = SimulateTool.campaign(options, new PrintStream(text, true, StandardCharsets.UTF_8));
        String log = text.toString(StandardCharsets.UTF_8);
        assertThat(c.failures()).as(bug + " went unnoticed for " + seeds + " seeds:\n" + log).isNotEmpty();
        long seed = c.failures().getFirst();
        // the failure left its evidence behind, and says how to reproduce it
        assertThat(out.resolve("seed-" + seed + "-trace.txt")).exists();
        assertThat(out.resolve("seed-" + seed + "-history.jsonl")).exists();
        assertThat(log).contains("reproduce: simulate --seed " + seed);
        assertThat(log).doesNotContain("did not reproduce");
    }
}
