package raftkv.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

import raftkv.checker.LinearizabilityChecker;
import raftkv.checker.Model;
import raftkv.checker.Outcome;
import raftkv.checker.Verdict;
import raftkv.node.NodeConfig;
import raftkv.node.VirtualScheduler;

/**
 * One seed: a cluster, its clients and its faults, run to the end of the workload, then healed
 * and left quiet so that everything settles; then the end state and the history are checked.
 * Every random choice comes from one generator seeded with the seed, so a run is a pure function
 * of (seed, options).
 */
final class SimRun {
    /** Virtual time after which a run stops even if the workload is not done (a stuck cluster). */
    static final long MAX_VIRTUAL_MILLIS = 300_000;
    private static final long QUIET_MILLIS = 3_000;
    private static final Duration CHECK_BUDGET = Duration.ofSeconds(20);

    private SimRun() {}

    static SimResult run(long seed, SimOptions options, boolean keepTrace) {
        return run(seed, options, keepTrace, false);
    }

    /** {@code ackBeforeFsync}: every disk acknowledges writes before syncing them (tests of the harness). */
    static SimResult run(long seed, SimOptions options, boolean keepTrace, boolean ackBeforeFsync) {
        RandomGenerator root = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        Trace trace = new Trace(keepTrace);
        VirtualScheduler time = new VirtualScheduler();
        int n = options.nodes();

        NetworkModel weather = NetworkModel.draw(SimCluster.derive(root), options.faults());
        SimNetwork network = new SimNetwork(time, SimCluster.derive(root), weather, trace, n);
        InvariantMonitor monitor = new InvariantMonitor(time::nowMillis, trace);
        RandomGenerator setup = SimCluster.derive(root);
        // small snapshot intervals, so that snapshots, compaction and InstallSnapshot happen
        NodeConfig config = NodeConfig.defaults(1).withTiming(10, 800).withSnapshotEvery(setup.nextInt(20, 200));
        // a third of the seeds replicate one entry per append through a narrow window: old-term
        // entries then reach followers ahead of the new leader's no-op (the Figure 8 window)
        if (setup.nextInt(3) == 0) {
            config = config.withRaft(config.raft().withLimits(1 + setup.nextInt(4), 1, 1 << 20));
        }
        // the opt-in core features, each on a third of the seeds, independently. Virtual time keeps
        // tick rates equal on all nodes, so lease reads must stay linearizable here.
        config = config.withRaft(config.raft().withLeaseReads(setup.nextInt(3) == 0).withQuorumFanout(setup.nextInt(3) == 0));
        // a third of the seeds have disks slower than the network
        boolean slowDisks = setup.nextInt(3) == 0;
        // a third of the seeds retransmit unanswered messages after 1-3 ticks
        if (setup.nextInt(3) == 0) config = config.withRaft(config.raft().withRetransmitTicks(1 + setup.nextInt(3)));
        // the election economies the course replica turns on (leader probe, silence backoff), each
        // on a third of the seeds; drawn from a generator of their own, so that every other choice
        // a seed made before they were fuzzed stays the same
        RandomGenerator elections = RandomGeneratorFactory.of("L64X128MixRandom").create(~seed);
        if (elections.nextInt(3) == 0) config = config.withRaft(config.raft().withLeaderProbeTicks(1 + elections.nextInt(3)));
        if (elections.nextInt(3) == 0) config = config.withRaft(config.raft().withSilenceBackoff(true));
        SimCluster cluster = new SimCluster(n, time, network, monitor, trace, SimCluster.derive(root), config,
                options.bugs(), slowDisks, ackBeforeFsync);
        trace.event(0, "seed " + seed + " nodes " + n + " " + weather + " snapshotEvery " + config.snapshotEvery()
                + " inflight " + config.raft().maxInflight() + " appendBytes " + config.raft().maxBytesPerAppend()
                + " leaseReads " + config.raft().leaseReads() + " quorumFanout " + config.raft().quorumFanout()
                + " leaderProbe " + config.raft().leaderProbeTicks() + " silenceBackoff " + config.raft().silenceBackoff()
                + " disks " + (slowDisks ? "slow" : "fast")
                + " faults " + options.faults() + " bugs " + options.bugs());
        cluster.startAll();

        Workload workload = new Workload(options.opsPerSeed(), setup.nextInt(3, 6));
        HistoryRecorder history = new HistoryRecorder(time::nowMillis);
        int clientCount = options.clients() > 0 ? options.clients() : setup.nextInt(5, 21);
        List<SimClient> clients = new ArrayList<>();
        RandomGenerator clientSeeds = SimCluster.derive(root);
        for (int c = 1; c <= clientCount; c++) {
            clients.add(new SimClient(c, SimCluster.derive(clientSeeds), time, cluster, workload, history, trace,
                    1_200, 8));
        }
        clients.forEach(SimClient::start);
        Nemesis nemesis = new Nemesis(time, SimCluster.derive(root), cluster, network, trace, options.faults());
        nemesis.start();

        while (!clients.stream().allMatch(SimClient::finished) && monitor.violations().isEmpty()
                && time.nowMillis() < MAX_VIRTUAL_MILLIS) {
            time.runFor(50);
        }
        boolean stuck = !clients.stream().allMatch(SimClient::finished);
        clients.forEach(SimClient::abandon);
        nemesis.stopAndHeal();
        time.runFor(QUIET_MILLIS);
        if (stuck && monitor.violations().isEmpty()) {
            trace.event(time.nowMillis(), "workload did not finish within " + MAX_VIRTUAL_MILLIS + " ms");
        }
        compareEndStates(cluster, monitor);

        Verdict verdict = LinearizabilityChecker.check(history.history(), Model.kv(), CHECK_BUDGET);
        trace.remark(time.nowMillis(), "verdict " + verdict);
        return new SimResult(seed, n, history.size(), history.count(Outcome.OK), history.count(Outcome.FAIL),
                history.count(Outcome.UNKNOWN), nemesis.injected(), network.dropped(), network.duplicated(),
                cluster.diskStats(), monitor.electionsWon(), time.nowMillis(), trace.events(), trace.hash(),
                monitor.violations(), monitor.defects(), verdict, history.jsonLines(), trace.text());
    }

    /** Replicas that applied the same prefix of the log must hold byte-identical state. */
    private static void compareEndStates(SimCluster cluster, InvariantMonitor monitor) {
        for (int a = 1; a <= cluster.size(); a++) {
            for (int b = a + 1; b <= cluster.size(); b++) {
                if (!cluster.up(a) || !cluster.up(b)) continue;
                if (cluster.node(a).appliedIndex() != cluster.node(b).appliedIndex()) continue;
                byte[] sa = cluster.node(a).stateMachine().snapshot();
                byte[] sb = cluster.node(b).stateMachine().snapshot();
                if (!Arrays.equals(sa, sb)) {
                    monitor.violate("nodes " + a + " and " + b + " applied up to " + cluster.node(a).appliedIndex()
                            + " but hold different state");
                }
            }
        }
    }
}
