package raftkv.sim;

import java.util.random.RandomGenerator;

import raftkv.node.VirtualScheduler;

/**
 * Carries everything between nodes and between clients and nodes: each message is dropped,
 * delayed or (between nodes only) duplicated as the {@link NetworkModel} says. Partitions cut links between nodes
 * (clients reach every node); a message in flight on a link that gets cut is lost.
 */
final class SimNetwork {
    private final VirtualScheduler time;
    private final RandomGenerator rng;
    private final NetworkModel model;
    private final Trace trace;
    private final boolean[][] cut;
    private long dropped;
    private long duplicated;
    private long sent;

    SimNetwork(VirtualScheduler time, RandomGenerator rng, NetworkModel model, Trace trace, int nodes) {
        this.time = time;
        this.rng = rng;
        this.model = model;
        this.trace = trace;
        this.cut = new boolean[nodes + 1][nodes + 1];
    }

    /** Sends from {@code from} to {@code to} (node ids are 1..n; other ids are clients). */
    void send(int from, int to, String what, Runnable deliver) {
        sent++;
        if (isCut(from, to) || rng.nextDouble() < model.dropRate()) {
            dropped++;
            trace.event(time.nowMillis(), "drop " + from + ">" + to + " " + what);
            return;
        }
        // Only peer links duplicate. Clients talk over connections (TCP) that never do: a duplicated
        // request is a retry the client does not know of, and would make a definite failure
        // reported for one copy ("not leader") wrong when the other copy is applied.
        boolean peerLink = from < cut.length && to < cut.length;
        int copies = peerLink && rng.nextDouble() < model.duplicateRate() ? 2 : 1;
        if (copies == 2) duplicated++;
        for (int i = 0; i < copies; i++) {
            time.after(model.delay(rng), () -> {
                if (isCut(from, to)) {
                    dropped++;
                    trace.event(time.nowMillis(), "lost " + from + ">" + to + " " + what);
                    return;
                }
                trace.event(time.nowMillis(), "recv " + from + ">" + to + " " + what);
                deliver.run();
            });
        }
    }

    boolean isCut(int a, int b) {
        return a < cut.length && b < cut.length && cut[a][b];
    }

    /** Cuts both directions between {@code a} and {@code b}. */
    void cut(int a, int b) {
        cut[a][b] = true;
        cut[b][a] = true;
    }

    void healAll() {
        for (boolean[] row : cut) java.util.Arrays.fill(row, false);
    }

    boolean partitioned() {
        for (boolean[] row : cut) for (boolean c : row) if (c) return true;
        return false;
    }

    long dropped() { return dropped; }

    long duplicated() { return duplicated; }

    long sent() { return sent; }
}
