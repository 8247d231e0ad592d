package raftkv.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGeneratorFactory;

import org.junit.jupiter.api.Test;

import raftkv.kv.Bytes;
import raftkv.kv.KvCommand;
import raftkv.node.NodeConfig;
import raftkv.node.Request;
import raftkv.node.VirtualScheduler;
import raftkv.raft.DeliberateBug;
import raftkv.raft.Role;

/**
 * The Figure 8 schedule of the Raft paper, scripted with partitions on the simulator's own
 * cluster, network and invariant monitor. Random campaigns reach it too rarely (about one seed in
 * a thousand) to test COMMIT_PREVIOUS_TERM_BY_COUNTING; this script reaches it every time, and
 * shows that the monitor then reports a committed entry that changed.
 */
class Figure8ScenarioTest {
    private final VirtualScheduler time = new VirtualScheduler();
    private final Trace trace = new Trace(false);
    private final SimNetwork network = new SimNetwork(time, RandomGeneratorFactory.of("L64X128MixRandom").create(1),
            new NetworkModel(0, 0, 1, 1, 0, 1), trace, 5);
    private final InvariantMonitor monitor = new InvariantMonitor(time::nowMillis, trace);
    private SimCluster cluster;

    @Test
    void countingOldTermEntriesLosesACommittedEntry() {
        List<String> violations = figure8(EnumSet.of(DeliberateBug.COMMIT_PREVIOUS_TERM_BY_COUNTING));
        assertThat(violations).anyMatch(v -> v.contains("committed entry changed"));
    }

    @Test
    void theCorrectCoreSurvivesTheSameSchedule() {
        assertThat(figure8(EnumSet.noneOf(DeliberateBug.class))).isEmpty();
    }

    private List<String> figure8(Set<DeliberateBug> bugs) {
        // one entry per append and one append in flight: the old-term entry travels alone
        NodeConfig config = NodeConfig.defaults(1).withTiming(10, 800).withSnapshotEvery(0);
        config = config.withRaft(config.raft().withLimits(1, 1, 1 << 20));
        cluster = new SimCluster(5, time, network, monitor, trace, RandomGeneratorFactory.of("L64X128MixRandom").create(2),
                config, bugs);
        cluster.startAll();
        assertThat(runUntil(() -> cluster.leader() > 0, 3_000)).isTrue();

        // S1 leads; S2 gets entry X at index i; nobody else does
        int s1 = cluster.leader();
        List<Integer> others = new ArrayList<>();
        for (int id = 1; id <= 5; id++) if (id != s1) others.add(id);
        int s2 = others.getFirst();
        write(s1, "a");
        time.runFor(200);
        groups(Set.of(s1, s2), Set.of(others.get(1)), Set.of(others.get(2)), Set.of(others.get(3)));
        write(s1, "X");
        time.runFor(30);
        long i = last(s1);
        assertThat(last(s2)).isEqualTo(i);

        // S5 is elected by S3 and S4 in a later term and appends its no-op at i, then is cut off at once
        Set<Integer> majoritySide = Set.of(others.get(1), others.get(2), others.get(3));
        groups(Set.of(s1), Set.of(s2), majoritySide);
        assertThat(runUntil(() -> leaderAmong(majoritySide) > 0, 3_000)).isTrue();
        int s5 = leaderAmong(majoritySide);
        List<Integer> rest = new ArrayList<>(others.subList(1, 4));
        rest.remove(Integer.valueOf(s5));
        int s3 = rest.get(0);
        int s4 = rest.get(1);

        // S1 wins the next term with S3 and S4 (S2 stays away, so it never sees S1's new no-op) and
        // sends them X ahead of its no-op; the moment it counts X as committed, it is cut off too
        groups(Set.of(s1, s3, s4), Set.of(s2), Set.of(s5));
        assertThat(runUntil(() -> cluster.node(s1).role() == Role.LEADER && cluster.node(s1).term() > cluster.node(s5).term()
                && cluster.node(s1).status().commitIndex() >= i, 3_000)).as("S1 commits X").isTrue();

        // S5 (its no-op at i from a later term than X) can now win and overwrite X, with the votes
        // of S2 and of whichever of S3 and S4 lacks S1's no-op (at least the one whose answer made
        // S1 count X, since S1 sends the no-op only after X). One that has it (it may have arrived
        // in the same millisecond) would win instead: it stays away.
        Set<Integer> s5Side = new HashSet<>(Set.of(s5, s2));
        Set<Integer> away = new HashSet<>();
        for (int id : List.of(s3, s4)) (last(id) == i ? s5Side : away).add(id);
        groups(Set.of(s1), away, s5Side);

        time.runFor(3_000);
        assertThat(cluster.node(s1).role()).isNotEqualTo(Role.LEADER);
        return monitor.violations();
    }

    /** The node of {@code group} that believes it leads in the highest term, or -1. */
    private int leaderAmong(Set<Integer> group) {
        int best = -1;
        for (int id : group) {
            if (cluster.node(id).role() == Role.LEADER && (best < 0 || cluster.node(id).term() > cluster.node(best).term())) {
                best = id;
            }
        }
        return best;
    }

    private void write(int node, String value) {
        cluster.send(1, node, new Request.Write(new KvCommand.Put(Bytes.utf8("k"), Bytes.utf8(value))), reply -> { });
    }

    private long last(int node) {
        return cluster.node(node).status().lastIndex();
    }

    /** Only nodes in the same group can talk. */
    @SafeVarargs
    private void groups(Set<Integer>... groups) {
        network.healAll();
        for (int a = 1; a <= 5; a++) {
            for (int b = a + 1; b <= 5; b++) {
                boolean together = false;
                for (Set<Integer> g : groups) together |= g.contains(a) && g.contains(b);
                if (!together) network.cut(a, b);
            }
        }
    }

    /** Advances time one millisecond at a time until the condition holds. */
    private boolean runUntil(BooleanSupplier condition, long maxMillis) {
        for (long t = 0; t < maxMillis; t++) {
            if (condition.getAsBoolean()) return true;
            time.runFor(1);
        }
        return condition.getAsBoolean();
    }
}
