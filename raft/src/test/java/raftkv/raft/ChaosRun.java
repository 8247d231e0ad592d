package raftkv.raft;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * One seeded, deterministic run of a {@link TestCluster} under faults: messages delivered in
 * random order, dropped and duplicated; partitions; crashes and restarts from the persisted disk;
 * proposals, reads, compactions and leadership transfers at random moments. Every step is
 * followed by the safety checks of the Raft paper (Figure 3); {@link #finish()} heals everything
 * and checks liveness. A violated property throws an {@link AssertionError} naming the seed.
 */
final class ChaosRun {
    final long seed;
    final int n;
    final TestCluster c;
    private final RandomGenerator rnd;
    private final List<Message> pool = new ArrayList<>();
    private final double dropRate;
    private final double dupRate;
    private int step;
    private final String cfgString;
    /** How likely each {@link Action} is in this run. */
    private final int[] weights;
    /** Every tick goes to all live nodes at once (lease runs: see the constructor). */
    private final boolean lockstepTicks;
    /**
     * Whether leaders are told now and then that a round went unanswered (RaftCore.hedgeRound, as
     * the course replica's transport does within milliseconds), with dice of their own so that the
     * schedule of every seed without it stays as it was.
     */
    private final boolean hedges;
    private final RandomGenerator hedgeDice;
    /** Whether followers are told now and then that their leader seems gone (RaftCore.suspectLeaderGone), by hedgeDice. */
    private final boolean suspicions;
    /** With suspicions, half the partitions cut one way only; dice of their own, as above. */
    private final RandomGenerator cutDice;
    /**
     * Lease runs, half of them: nodes' timers fire late. A late node misses ticks and gets them
     * later, a few at a time or all at once, while its runtime's clock ({@link RaftCore#clockAt},
     * the world's ticks since the node's core was created) is told before every step. Dice of
     * their own, as above.
     */
    private final boolean lateTimers;
    private final RandomGenerator lateDice;
    private long worldTicks;
    private final Map<Integer, Long> bornAtWorldTick = new HashMap<>();
    private final Map<Integer, Long> ticksOwed = new HashMap<>();
    private final Map<Integer, Integer> stallLeft = new HashMap<>();
    private final int electionTicks;

    // What the checks remember.
    private final Map<Long, Integer> leaderOfTerm = new HashMap<>();
    private final Map<Long, Long> committedTerm = new TreeMap<>();
    /**
     * For each committed index, the term of the node on which it was first seen committed: no
     * lower than the term it was committed in (a node learns commits from leaders of its term or
     * earlier ones). Leader Completeness binds only leaders of later terms.
     */
    private final Map<Long, Long> committedByTerm = new HashMap<>();
    private final Map<Long, String> firstApplied = new HashMap<>();
    private final Map<Integer, Long> maxTerm = new HashMap<>();
    private final Map<Integer, Long> persistedTerm = new HashMap<>();
    private final Map<Integer, Long> checkedCommit = new HashMap<>();
    private final Map<Long, Long> readMinIndex = new HashMap<>();
    private final Map<Long, Integer> readAskedAtStep = new HashMap<>();
    /** The highest commit index any node has had so far (cores that crashed since included). */
    private long highestCommitSeen;
    /** Reads served in the very step that asked for them: from the lease, without a round. */
    private int leaseReadsServed;
    private final Set<Long> readsServed = new HashSet<>();
    private final Set<Long> readsDropped = new HashSet<>();
    private final Map<Integer, Integer> readsSeen = new HashMap<>();
    private long nextCommand;
    private long nextRead = 1;

    ChaosRun(long seed) {
        this(seed, Set.of());
    }

    /** A run whose cores carry deliberate bugs: the checks must then fail (a test of the test). */
    ChaosRun(long seed, Set<DeliberateBug> bugs) {
        this.seed = seed;
        this.rnd = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        this.n = rnd.nextBoolean() ? 3 : 5;
        int inflight = 1 + rnd.nextInt(4);
        int bytes = rnd.nextInt(3) == 0 ? 1 : 40 + rnd.nextInt(200); // 1: one entry per append
        this.weights = new int[] {30 + rnd.nextInt(30), 15 + rnd.nextInt(20), 3 + rnd.nextInt(10), 1 + rnd.nextInt(4),
                rnd.nextInt(8), rnd.nextInt(5), rnd.nextInt(3), rnd.nextInt(2), rnd.nextInt(3), 10 + rnd.nextInt(30)};
        int chunk = 8 + rnd.nextInt(64);
        boolean preVote = rnd.nextInt(4) != 0;
        boolean checkQuorum = rnd.nextInt(4) != 0;
        this.dropRate = rnd.nextDouble() * 0.2;
        this.dupRate = rnd.nextDouble() * 0.1;
        int election = 5 + rnd.nextInt(11);
        int heartbeat = 1 + rnd.nextInt(3);
        // The opt-in features are drawn from a generator of their own, so that adding them left the
        // random stream (and so the schedule) of every seed that runs without them as it was.
        RandomGenerator features = RandomGeneratorFactory.of("L64X128MixRandom").create(~seed);
        // A bug in the follower's promise can show only where leases are read.
        boolean leaseReads = (forced("raft.fuzz.leaseReads", features.nextInt(3) == 0)
                || bugs.contains(DeliberateBug.PROMISE_ON_DELIVERED_TICKS)) && checkQuorum && election >= heartbeat + 3;
        boolean quorumFanout = forced("raft.fuzz.quorumFanout", features.nextInt(3) == 0);
        // Drawn last so seeds keep their earlier draws: a third of the seeds retransmit unanswered
        // messages after 1-3 ticks.
        int retransmit = features.nextInt(3) == 0 ? 1 + features.nextInt(3) : 0;
        boolean silenceBackoff = features.nextInt(3) == 0; // drawn after the others, for the same reason
        int leaderProbe = features.nextInt(3) == 0 ? 1 + features.nextInt(2) : 0; // likewise
        // Likewise; the cluster tells followers when their leader is idle, as the course replica's
        // transport does (TestCluster.step).
        int idleSlowdown = features.nextInt(3) == 0 ? 2 + features.nextInt(3) : 1;
        this.hedges = features.nextInt(3) == 0; // likewise
        this.hedgeDice = RandomGeneratorFactory.of("L64X128MixRandom").create(seed * 31 + 7);
        // Likewise: half the seeds promise less than an election timeout (a lease that short), and
        // their followers are told now and then that the leader seems gone, as the course replica
        // tells them when clients come to them while the leader is silent.
        int leasePromise = features.nextInt(2) == 0 ? 3 + features.nextInt(election - 2) : 0;
        this.suspicions = leasePromise > 0;
        this.cutDice = RandomGeneratorFactory.of("L64X128MixRandom").create(seed * 37 + 11);
        // A lease is only as good as the agreement of the nodes' clocks: a node ticking alone would
        // let followers' leases run out while the leader still trusts its own. Lease runs therefore
        // tick every live node together (the assumption RaftConfig.leaseReads documents).
        this.lockstepTicks = leaseReads;
        this.lateDice = RandomGeneratorFactory.of("L64X128MixRandom").create(seed * 41 + 13);
        this.lateTimers = leaseReads && lateDice.nextBoolean();
        this.electionTicks = election;
        cfgString = "election=" + election + " heartbeat=" + heartbeat + " preVote=" + preVote + " checkQuorum=" + checkQuorum
                + " inflight=" + inflight + " bytes=" + bytes + " leaseReads=" + leaseReads + " quorumFanout=" + quorumFanout + " retransmit=" + retransmit
                + " silenceBackoff=" + silenceBackoff + " leaderProbe=" + leaderProbe + " idleSlowdown=" + idleSlowdown + " hedges=" + hedges + " leasePromise=" + leasePromise + " lateTimers=" + lateTimers;
        this.c = new TestCluster(n, id -> new RaftConfig(id, election, heartbeat, inflight, bytes, chunk, preVote, checkQuorum,
                leaseReads, quorumFanout, retransmit, silenceBackoff, leaderProbe, idleSlowdown, leasePromise), rnd.nextLong());
        c.onApply = this::checkApply;
        c.asyncDisk = rnd.nextBoolean();
        if (!bugs.isEmpty()) {
            c.bugs = bugs;
            c.cores.values().forEach(core -> core.injectBugs(bugs));
        }
        for (int id = 1; id <= n; id++) readsSeen.put(id, 0);
    }

    /** A feature drawn per seed, unless the system property {@code name} says "on" or "off" (wider searches). */
    private static boolean forced(String name, boolean drawn) {
        return switch (System.getProperty(name, "")) {
            case "on" -> true;
            case "off" -> false;
            default -> drawn;
        };
    }

    private AssertionError fail(String what) {
        return new AssertionError("seed " + seed + " (n=" + n + ", " + cfgString + "), step " + step + ": " + what);
    }

    /** Runs {@code steps} random actions, checking the safety properties after each. */
    void run(int steps) {
        collect();
        for (step = 0; step < steps; step++) {
            if (lateTimers) tellClocks();
            act();
            collect();
            checkSafety();
        }
    }

    private void collect() {
        c.processReadies();
        pool.addAll(c.network);
        c.network.clear();
    }

    private List<Integer> live() {
        List<Integer> out = new ArrayList<>();
        for (int id = 1; id <= n; id++) if (!c.down.contains(id)) out.add(id);
        return out;
    }

    private int anyLive() {
        List<Integer> l = live();
        return l.get(rnd.nextInt(l.size()));
    }

    private enum Action { DELIVER, TICK, PROPOSE, READ, PARTITION, CRASH, COMPACT, TRANSFER, TICK_ALL, DISK }

    /** Picks an action with this run's weights (drawn per seed, so some runs are calm, some stormy). */
    private Action pick() {
        int total = 0;
        for (int w : weights) total += w;
        int dice = rnd.nextInt(total);
        for (Action a : Action.values()) {
            dice -= weights[a.ordinal()];
            if (dice < 0) return a;
        }
        throw new IllegalStateException();
    }

    /** Mostly the leader (clients find it), sometimes anyone. */
    private int likelyLeader() {
        int l = c.leader();
        return l != -1 && rnd.nextInt(5) != 0 ? l : anyLive();
    }

    private void act() {
        Action a = pick();
        if (a == Action.DELIVER && pool.isEmpty()) a = Action.TICK;
        switch (a) {
            case DELIVER -> deliverRandom();
            case TICK -> {
                if (lockstepTicks) tickAllLive();
                else c.core(anyLive()).tick();
                if (hedges && c.leader() != -1 && hedgeDice.nextBoolean()) c.core(c.leader()).hedgeRound();
                if (suspicions && hedgeDice.nextInt(4) == 0) {
                    List<Integer> up = live();
                    c.core(up.get(hedgeDice.nextInt(up.size()))).suspectLeaderGone();
                }
            }
            case PROPOSE -> c.core(likelyLeader()).propose(("s" + seed + "-" + nextCommand++).getBytes(StandardCharsets.UTF_8));
            case READ -> {
                long ctx = nextRead++;
                // Whatever any node has committed so far (even a node that crashed since, or whose
                // commit index has not reached anyone else yet) must be visible to this read.
                long mustSee = highestCommit();
                if (c.core(likelyLeader()).readIndex(ctx) instanceof ProposeResult.Accepted) {
                    readMinIndex.put(ctx, mustSee);
                    readAskedAtStep.put(ctx, step);
                }
            }
            case PARTITION -> {
                if (rnd.nextInt(3) == 0) {
                    c.heal();
                } else {
                    Set<Integer> side = new HashSet<>();
                    for (int id = 1; id <= n; id++) if (rnd.nextBoolean()) side.add(id);
                    if (suspicions && cutDice.nextBoolean() && c.leader() != -1) {
                        // One way only: the leader's messages to one member are lost, as in a
                        // partial partition. A short promise must hold there too.
                        int from = c.leader();
                        int to = 1 + cutDice.nextInt(n);
                        c.link = m -> m.from() != from || m.to() != to;
                    } else {
                        c.partition(side);
                    }
                }
            }
            case CRASH -> {
                List<Integer> down = new ArrayList<>(c.down);
                if (!down.isEmpty() && (rnd.nextBoolean() || down.size() >= (n - 1) / 2)) {
                    int id = down.get(rnd.nextInt(down.size()));
                    restart(id);
                } else {
                    c.crash(anyLive());
                }
            }
            case COMPACT -> c.compact(anyLive());
            case TRANSFER -> c.core(anyLive()).transferLeadership(1 + rnd.nextInt(n));
            case TICK_ALL -> tickAllLive();
            case DISK -> c.completeWrite(anyLive());
        }
    }

    /** A restart loses what was not persisted: the term may go back to the persisted one, no further. */
    private void restart(int id) {
        long persisted = c.disks.get(id).hardState.term();
        long before = persistedTerm.getOrDefault(id, 0L);
        if (persisted < before) throw fail("node " + id + " persisted term went back from " + before + " to " + persisted);
        c.restart(id);
        bornAtWorldTick.put(id, worldTicks);
        ticksOwed.remove(id);
        stallLeft.remove(id);
        maxTerm.put(id, persisted);
        checkedCommit.remove(id);
        readsSeen.put(id, 0);
    }

    private void tickAllLive() {
        if (!lateTimers) {
            for (int id : live()) c.core(id).tick();
            return;
        }
        worldTicks++;
        tellClocks();
        for (int id : live()) {
            long owed = ticksOwed.getOrDefault(id, 0L) + 1;
            int stalled = stallLeft.getOrDefault(id, 0);
            if (stalled == 0 && lateDice.nextInt(30) == 0) stalled = 2 + lateDice.nextInt(2 * electionTicks);
            long give;
            if (stalled > 0) {
                // The node's loop is stalled: its timer does not fire (its messages still come in).
                stallLeft.put(id, stalled - 1);
                give = 0;
            } else {
                // Then what it owes comes all at once (as RaftNode did until 33d629b), or a few a tick.
                give = lateDice.nextBoolean() ? owed : Math.min(owed, 1 + lateDice.nextInt(3));
            }
            for (long i = 0; i < give; i++) c.core(id).tick();
            ticksOwed.put(id, owed - give);
        }
    }

    /** Every live node's runtime says how many of the world's ticks have passed since its core was created. */
    private void tellClocks() {
        for (int id : live()) c.core(id).clockAt(worldTicks - bornAtWorldTick.getOrDefault(id, 0L));
    }

    private void deliverRandom() {
        Message m = pool.remove(rnd.nextInt(pool.size()));
        if (rnd.nextDouble() < dropRate) return;
        if (rnd.nextDouble() < dupRate) pool.add(m);
        if (c.down.contains(m.to()) || c.down.contains(m.from()) || !c.link.test(m)) return;
        c.step(m);
    }

    private long maxCommit() {
        long max = 0;
        for (RaftCore core : c.cores.values()) max = Math.max(max, core.commitIndex());
        return max;
    }

    private long highestCommit() {
        highestCommitSeen = Math.max(highestCommitSeen, maxCommit());
        return highestCommitSeen;
    }

    /** How many reads were served from a lease (at once, without a confirmation round). */
    int leaseReadsServed() {
        return leaseReadsServed;
    }

    // ------------------------------------------------------------------ safety

    private void checkApply(int id, Entry e) {
        String desc = e.term() + ":" + new String(e.data(), StandardCharsets.UTF_8);
        String first = firstApplied.putIfAbsent(e.index(), desc);
        if (first != null && !first.equals(desc)) {
            throw fail("state machine safety: node " + id + " applied " + desc + " at index " + e.index()
                    + " where another node applied " + first);
        }
        Long t = committedTerm.get(e.index());
        if (t != null && t != e.term()) {
            throw fail("node " + id + " applied term " + e.term() + " at " + e.index() + ", committed term was " + t);
        }
    }

    void checkSafety() {
        highestCommit(); // before a crash replaces a core, so its commit index is remembered
        if (lockstepTicks) {
            // A lease is void once a newer leader exists: its voters' promises must have ended.
            for (int a : live()) {
                if (!c.core(a).canServeLeaseRead()) continue;
                for (int b : live()) {
                    if (c.core(b).role() == Role.LEADER && c.core(b).term() > c.core(a).term()) {
                        throw fail("node " + b + " leads term " + c.core(b).term() + " while node " + a + " of term "
                                + c.core(a).term() + " can still serve lease reads");
                    }
                }
            }
        }
        for (int id : live()) {
            RaftCore core = c.core(id);
            long prev = maxTerm.getOrDefault(id, 0L);
            if (core.term() < prev) throw fail("node " + id + " term went back from " + prev + " to " + core.term());
            maxTerm.put(id, core.term());

            Status st = core.status();
            long from = Math.max(st.snapshotIndex(), checkedCommit.getOrDefault(id, 0L)) + 1;
            for (long i = from; i <= st.commitIndex(); i++) {
                long t = core.termAt(i);
                Long was = committedTerm.putIfAbsent(i, t);
                committedByTerm.putIfAbsent(i, core.term());
                if (was != null && was != t) {
                    throw fail("committed entry changed: node " + id + " has term " + t + " at committed index "
                            + i + ", earlier committed term " + was);
                }
            }
            checkedCommit.put(id, Math.max(checkedCommit.getOrDefault(id, 0L), st.commitIndex()));

            long diskTerm = c.disks.get(id).hardState.term();
            if (diskTerm < persistedTerm.getOrDefault(id, 0L)) throw fail("node " + id + " persisted term went back");
            persistedTerm.put(id, diskTerm);
            // A leader whose own vote is not on disk yet cannot act (its appends wait for that write,
            // and a crash before it forgets the election): it counts once its vote is durable.
            HardState hs = c.disks.get(id).hardState;
            if (core.role() == Role.LEADER && hs.term() == core.term() && hs.votedFor() == id) {
                Integer other = leaderOfTerm.putIfAbsent(core.term(), id);
                if (other == null) checkLeaderCompleteness(id, st);
                else if (other != id) throw fail("election safety: nodes " + other + " and " + id + " both lead term " + core.term());
            }
            checkReads(id);
            // Stronger than checking the lease reads that happen to be asked: at every step, a read
            // the lease would serve at once must see everything committed anywhere.
            if (core.canServeLeaseRead() && core.commitIndex() < highestCommitSeen) {
                throw fail("stale lease: leader " + id + " of term " + core.term() + " would serve a read at "
                        + core.commitIndex() + " from its lease, but index " + highestCommitSeen + " was committed");
            }
        }
    }

    private void checkLeaderCompleteness(int id, Status st) {
        for (var e : committedTerm.entrySet()) {
            long i = e.getKey();
            if (i <= st.snapshotIndex()) continue;
            // A leader first seen now (its vote reached its disk late) may have been elected before
            // this entry was committed, in an earlier term: then it need not hold the entry.
            if (committedByTerm.get(i) >= st.term()) continue;
            if (c.core(id).termAt(i) != e.getValue()) {
                throw fail("leader completeness: new leader " + id + " of term " + st.term() + " has term "
                        + c.core(id).termAt(i) + " at committed index " + i + " (committed term " + e.getValue() + ")");
            }
        }
    }

    private void checkReads(int id) {
        List<ReadState> got = c.reads.get(id);
        for (int k = readsSeen.get(id); k < got.size(); k++) {
            ReadState rs = got.get(k);
            Long min = readMinIndex.get(rs.context());
            if (min == null) throw fail("read " + rs.context() + " confirmed but never asked at node " + id);
            if (rs.index() < min) {
                throw fail("stale read: read " + rs.context() + " served at index " + rs.index()
                        + " but index " + min + " was committed before it was asked");
            }
            if (!readsServed.add(rs.context())) throw fail("read " + rs.context() + " confirmed twice");
            if (readAskedAtStep.get(rs.context()) == step) leaseReadsServed++;
        }
        readsSeen.put(id, got.size());
        for (long ctx : c.core(id).takeDroppedReads()) {
            if (readsServed.contains(ctx)) throw fail("read " + ctx + " both confirmed and dropped");
            readsDropped.add(ctx);
        }
    }

    // ------------------------------------------------------------------ liveness

    /** Heals the network, restarts every node, stops faults, and checks the cluster converges. */
    private String dump() {
        StringBuilder b = new StringBuilder();
        for (RaftCore core : c.cores.values()) b.append("\n  ").append(core.status());
        return b.toString();
    }

    /** A line of what this run exercised, to see that the faults leave room for progress. */
    String summary() {
        long installs = c.disks.values().stream().filter(d -> d.snapshot != null).count();
        return "n=" + n + " commit=" + maxCommit() + " terms=" + leaderOfTerm.size() + " snapshots=" + installs
                + " reads=" + readsServed.size() + "/" + (nextRead - 1) + " (lease " + leaseReadsServed + ")"
                + " dropped=" + readsDropped.size()
                + " async=" + c.asyncDisk;
    }

    void finish() {
        c.heal();
        c.syncDisks();
        for (int id : new ArrayList<>(c.down)) restart(id);
        c.network.addAll(pool);
        pool.clear();
        // Old messages still in flight may disturb the first leader (a proposal it accepted can
        // then be lost, which is allowed), so propose until one is applied everywhere.
        int leader = -1;
        for (int attempt = 0; attempt < 10 && leader == -1; attempt++) {
            int l = -1;
            for (int round = 0; round < 300 && l == -1; round++) {
                c.tickAll(1);
                checkSafety();
                l = c.leader();
            }
            if (l == -1) throw fail("liveness: no leader within 300 rounds after healing");
            // A transfer left in flight refuses proposals for up to an election timeout.
            ProposeResult r = c.core(l).propose(("final" + attempt).getBytes(StandardCharsets.UTF_8));
            for (int round = 0; round < 100 && r instanceof ProposeResult.TransferInProgress; round++) {
                c.tickAll(1);
                checkSafety();
                l = c.leader();
                if (l == -1) break;
                r = c.core(l).propose(("final" + attempt).getBytes(StandardCharsets.UTF_8));
            }
            if (!(r instanceof ProposeResult.Accepted)) continue;
            for (int round = 0; round < 30; round++) {
                c.tickAll(1);
                checkSafety();
            }
            String fin = ":final" + attempt;
            int now = c.leader();
            if (now != -1 && c.machine.values().stream().allMatch(m -> m.stream().anyMatch(x -> x.endsWith(fin)))) {
                leader = now;
            }
        }
        if (leader == -1) throw fail("liveness: no final command was applied by every node in 10 attempts" + dump());
        // A healthy cluster keeps its leader, and every node learns the leader's commit index.
        long term = c.core(leader).term();
        for (int round = 0; round < 20; round++) {
            c.tickAll(1);
            checkSafety();
            if (c.leader() != leader || c.core(leader).term() != term) {
                throw fail("liveness: leader " + leader + " of term " + term + " lost its place in a healthy cluster"
                        + " to " + c.leader() + dump());
            }
        }
        long commit = c.core(leader).commitIndex();
        String finalDesc = null;
        for (int id = 1; id <= n; id++) {
            List<String> m = c.machine.get(id);
            if (m.size() != commit || c.core(id).commitIndex() != commit) {
                throw fail("liveness: node " + id + " applied " + m.size() + " entries, commit "
                        + c.core(id).commitIndex() + "; leader " + leader + " committed " + commit + dump());
            }
            for (int i = 0; i < m.size(); i++) {
                String first = firstApplied.get((long) i + 1);
                if (first != null && !first.equals(m.get(i))) {
                    throw fail("node " + id + " holds " + m.get(i) + " at " + (i + 1) + ", others applied " + first);
                }
            }
            finalDesc = m.getLast();
        }
        if (finalDesc == null) throw fail("no nodes");
    }
}
