package raftkv.sim;

import java.util.function.Consumer;
import java.util.function.LongSupplier;

import raftkv.node.VirtualScheduler;

/**
 * What a {@link SimDisk} shares with the {@link LaggingStorage} of each of its incarnations:
 * virtual time, the fsync latency, the trace, the disk's name (which starts its messages), where
 * problems are reported ({@code defect}: calls that cannot be right; {@code violation}: I/O
 * failures and wrong recoveries), and the deliberate ack-before-fsync bug (tests of the harness).
 */
record DiskContext(VirtualScheduler time, LongSupplier fsyncDelay, Trace trace, String name,
                   Consumer<String> defect, Consumer<String> violation, boolean ackBeforeFsync) {

    /** Traces {@code what} happened to this disk, at the current virtual time. */
    void event(String what) {
        trace.event(time.nowMillis(), name + " " + what);
    }

    /** Reports {@code what} happened to this disk as a violation. */
    void violate(String what) {
        violation.accept(name + " " + what);
    }
}
