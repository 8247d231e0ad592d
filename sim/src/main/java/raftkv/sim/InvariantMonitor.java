package raftkv.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

import raftkv.kv.KvResult;
import raftkv.node.RaftNode;
import raftkv.raft.Entry;
import raftkv.raft.Ready;
import raftkv.raft.Role;

/**
 * Safety invariants checked while the run goes: at most one leader per term; an applied
 * (committed) entry never changes, on any node, ever; and every replica's state machine gives the
 * same result at the same index (same state). Violations are collected, not thrown, so that the
 * run can end cleanly and write its trace.
 */
final class InvariantMonitor {
    private record Applied(int node, long term, byte[] data, KvResult result) {}

    private final LongSupplier clock;
    private final Trace trace;
    private final Map<Long, Integer> leaderOfTerm = new TreeMap<>();
    private final Map<Long, Applied> appliedAt = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private final List<String> defects = new ArrayList<>();

    InvariantMonitor(LongSupplier clock, Trace trace) {
        this.clock = clock;
        this.trace = trace;
    }

    /** The listener to install on node {@code id} (each incarnation gets a fresh one). */
    RaftNode.NodeListener listenerFor(int id) {
        return new RaftNode.NodeListener() {
            @Override
            public void applied(Entry entry, KvResult result) {
                onApplied(id, entry, result);
            }

            @Override
            public void afterReady(Ready ready) {
                if (ready.role() == Role.LEADER) onLeader(id, ready.term());
            }
        };
    }

    private void onLeader(int id, long term) {
        Integer known = leaderOfTerm.putIfAbsent(term, id);
        if (known == null) {
            trace.event(clock.getAsLong(), "leader " + id + " term " + term);
        } else if (known != id) {
            violate("two leaders in term " + term + ": node " + known + " and node " + id);
        }
    }

    private void onApplied(int id, Entry e, KvResult result) {
        if (result instanceof KvResult.AlreadyApplied) return;
        trace.event(clock.getAsLong(), "apply " + id + " " + e.index() + "@" + e.term());
        Applied first = appliedAt.putIfAbsent(e.index(), new Applied(id, e.term(), e.data(), result));
        if (first == null) return;
        if (first.term() != e.term() || !Arrays.equals(first.data(), e.data())) {
            violate("committed entry changed at index " + e.index() + ": node " + first.node() + " applied term "
                    + first.term() + " (" + first.data().length + " bytes), node " + id + " applied term " + e.term()
                    + " (" + e.data().length + " bytes)");
        } else if (!first.result().equals(result)) {
            violate("state machines diverge at index " + e.index() + ": node " + first.node() + " got "
                    + first.result() + ", node " + id + " got " + result);
        }
    }

    /** For checks made outside the listeners (end-of-run state comparison, node exceptions). */
    void violate(String what) {
        if (violations.size() < 100) violations.add("t=" + clock.getAsLong() + "ms: " + what);
        trace.event(clock.getAsLong(), "VIOLATION " + what);
    }

    /**
     * A known defect of the node that is not itself a safety violation (its consequences, if any,
     * are caught by the invariants and the checker): reported with the seed, without failing it.
     */
    void defect(String what) {
        if (defects.size() < 20) defects.add("t=" + clock.getAsLong() + "ms: " + what);
        trace.event(clock.getAsLong(), "DEFECT " + what);
    }

    List<String> defects() {
        return List.copyOf(defects);
    }

    List<String> violations() {
        return List.copyOf(violations);
    }

    /** Terms that had a leader: each is one election won. */
    int electionsWon() {
        return leaderOfTerm.size();
    }
}
