package raftkv.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

import raftkv.node.VirtualScheduler;

/**
 * Injects node and partition faults at random moments while the workload runs: partitions
 * (random halves, the leader isolated, or a bridge node that sees both sides) that heal later,
 * crashes followed by restarts (some of the whole cluster at once, some with a bit flipped inside the crashed node's log, which then
 * stays down), and pauses followed by resumes. Message-level faults (drops, delay, duplicates) are
 * the network's business.
 */
final class Nemesis {
    private final VirtualScheduler time;
    private final RandomGenerator rng;
    private final SimCluster cluster;
    private final SimNetwork network;
    private final Trace trace;
    /** One crash in this many also flips a bit inside the crashed node's log. */
    private static final int CORRUPTION_ODDS = 100;

    /** One crash in this many is a power outage: every node goes down at once. */
    private static final int POWER_OUTAGE_ODDS = 10;

    private final List<Fault> kinds = new ArrayList<>();
    private final boolean corruption;
    private boolean active = true;
    private int injected;
    /** A third of the seeds are storms: faults every few tens of milliseconds, and short ones. */
    private final boolean storm;
    private int partitionGeneration;

    Nemesis(VirtualScheduler time, RandomGenerator rng, SimCluster cluster, SimNetwork network, Trace trace,
            Set<Fault> faults) {
        this.time = time;
        this.rng = rng;
        this.cluster = cluster;
        this.network = network;
        this.trace = trace;
        for (Fault f : List.of(Fault.PARTITIONS, Fault.CRASHES, Fault.PAUSES)) {
            if (faults.contains(f)) kinds.add(f);
        }
        this.corruption = faults.contains(Fault.CORRUPTION);
        if (corruption && !kinds.contains(Fault.CRASHES)) kinds.add(Fault.CRASHES);
        this.storm = rng.nextInt(3) == 0;
    }

    boolean storm() {
        return storm;
    }

    /** How long until the next fault. */
    private long gap() {
        return storm ? rng.nextInt(10, 150) : rng.nextInt(100, 700);
    }

    /** How long a crash, pause or partition lasts. */
    private long duration(int calmMin, int calmMax) {
        return storm ? rng.nextInt(20, 400) : rng.nextInt(calmMin, calmMax);
    }

    void start() {
        trace.event(time.nowMillis(), "nemesis " + (storm ? "storm" : "calm") + " " + kinds);
        if (!kinds.isEmpty()) scheduleNext();
    }

    int injected() {
        return injected;
    }

    /** Ends all faults: heals the network, restarts and resumes every node. */
    void stopAndHeal() {
        active = false;
        network.healAll();
        for (int i = 1; i <= cluster.size(); i++) {
            cluster.restart(i);
            cluster.resume(i);
        }
        trace.event(time.nowMillis(), "heal all");
    }

    private void scheduleNext() {
        time.after(gap(), () -> {
            if (!active) return;
            strike(kinds.get(rng.nextInt(kinds.size())));
            scheduleNext();
        });
    }

    private void strike(Fault kind) {
        switch (kind) {
            case PARTITIONS -> partition();
            case CRASHES -> crash();
            case PAUSES -> pause();
            default -> throw new IllegalStateException("not a nemesis fault: " + kind);
        }
    }

    private int victim() {
        int leader = cluster.leader();
        // half the time hit the leader: that is where the interesting failures are
        return leader > 0 && rng.nextBoolean() ? leader : rng.nextInt(1, cluster.size() + 1);
    }

    private int downCount() {
        int down = 0;
        for (int i = 1; i <= cluster.size(); i++) if (!cluster.up(i) || cluster.paused(i)) down++;
        return down;
    }

    private void crash() {
        if (rng.nextInt(POWER_OUTAGE_ODDS) == 0) {
            powerOutage();
            return;
        }
        // keep a majority alive most of the time, so the workload makes progress between faults
        if (downCount() >= (cluster.size() - 1) / 2 + (rng.nextInt(4) == 0 ? 1 : 0)) return;
        int id = victim();
        if (!cluster.up(id)) return;
        injected++;
        cluster.crash(id);
        if (corruption && rng.nextInt(CORRUPTION_ODDS) == 0 && cluster.corrupt(id, rng)) {
            trace.event(time.nowMillis(), "corrupt " + id);
        }
        time.after(duration(50, 1500), () -> { if (active) cluster.restart(id); });
    }

    /**
     * Every node loses power at once, then each comes back after its own delay: nothing but what
     * was fsynced survives anywhere, so an acknowledgement given before its fsync would show. It
     * strikes at the worst moment: waits (up to 100 ms) until some node has a write in flight.
     */
    private void powerOutage() {
        powerOutage(100);
    }

    private void powerOutage(int patience) {
        if (!active) return;
        if (cluster.writesInFlight() == 0 && patience > 0) {
            time.after(1, () -> powerOutage(patience - 1));
            return;
        }
        injected++;
        trace.event(time.nowMillis(), "power outage");
        for (int i = 1; i <= cluster.size(); i++) {
            if (!cluster.up(i)) continue;
            int id = i;
            cluster.crash(id);
            time.after(duration(50, 1500), () -> { if (active) cluster.restart(id); });
        }
    }

    private void pause() {
        if (downCount() >= (cluster.size() - 1) / 2 + (rng.nextInt(4) == 0 ? 1 : 0)) return;
        int id = victim();
        if (!cluster.up(id) || cluster.paused(id)) return;
        injected++;
        cluster.pause(id);
        time.after(duration(50, 1500), () -> { if (active) cluster.resume(id); });
    }

    private void partition() {
        // a new partition replaces the current one
        network.healAll();
        int generation = ++partitionGeneration;
        int n = cluster.size();
        injected++;
        int shape = rng.nextInt(3);
        if (shape == 0) {
            // random halves: each node picks a side
            boolean[] side = new boolean[n + 1];
            for (int i = 1; i <= n; i++) side[i] = rng.nextBoolean();
            for (int a = 1; a <= n; a++) for (int b = a + 1; b <= n; b++) if (side[a] != side[b]) network.cut(a, b);
            trace.event(time.nowMillis(), "partition halves " + describe(side));
        } else if (shape == 1) {
            int leader = cluster.leader();
            int alone = leader > 0 ? leader : rng.nextInt(1, n + 1);
            for (int b = 1; b <= n; b++) if (b != alone) network.cut(alone, b);
            trace.event(time.nowMillis(), "partition isolate " + alone);
        } else {
            // a bridge: two sides that cannot talk, and one node that talks to both
            int bridge = rng.nextInt(1, n + 1);
            boolean[] side = new boolean[n + 1];
            for (int i = 1; i <= n; i++) side[i] = rng.nextBoolean();
            for (int a = 1; a <= n; a++) {
                for (int b = a + 1; b <= n; b++) {
                    if (a != bridge && b != bridge && side[a] != side[b]) network.cut(a, b);
                }
            }
            trace.event(time.nowMillis(), "partition bridge " + bridge + " " + describe(side));
        }
        time.after(duration(200, 2000), () -> {
            if (!active || generation != partitionGeneration) return;
            network.healAll();
            trace.event(time.nowMillis(), "heal");
        });
    }

    private static String describe(boolean[] side) {
        StringBuilder a = new StringBuilder("[");
        StringBuilder b = new StringBuilder("[");
        for (int i = 1; i < side.length; i++) (side[i] ? a : b).append(i).append(' ');
        return a.toString().trim() + "] [" + b.toString().trim() + "]";
    }
}
