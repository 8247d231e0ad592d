package raftkv.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Committed entries per second of the Raft core alone: a 3-node group in one thread, with instant
 * perfect storage and an in-memory network (see {@link InMemoryRaftGroup}).
 *
 * <p>One invocation proposes one batch on the leader (one {@code propose} call, so one round of
 * appends) and runs the group until the leader has applied the whole batch. JMH's "ops" are
 * committed entries: {@link OperationsPerInvocation} equals the batch size, so the score is
 * entries/s. {@code batch1} is latency-bound (a full round trip per entry);
 * {@code batch64} shows what batching buys.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar RaftCoreBench -f 1 -wi 2 -i 3}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RaftCoreBench {
    /** Compact every core's log after this many committed entries, to keep memory bounded. */
    static final int COMPACT_EVERY = 8_192;
    static final int GROUP_SIZE = 3;
    private static final int POOL = 64;

    /** Bytes of each command (the entry payload). */
    @Param({"16", "128"})
    public int commandBytes;

    private InMemoryRaftGroup group;
    private List<List<byte[]>> singles;
    private List<byte[]> batchOf64;
    private int next;
    private long compactedAt;
    private final byte[] snapshotData = new byte[64];

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        List<byte[]> pool = new ArrayList<>(POOL);
        for (int i = 0; i < POOL; i++) {
            byte[] command = new byte[commandBytes];
            random.nextBytes(command);
            pool.add(command);
        }
        batchOf64 = List.copyOf(pool);
        singles = pool.stream().map(List::of).toList();
        group = new InMemoryRaftGroup(GROUP_SIZE, 42);
        group.electLeader();
        compactedAt = group.leader().commitIndex();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        // Guard the meaning of the figures: no election and no snapshot transfer was measured.
        group.checkStableLeader();
        group.checkAllReplicated();
        if (group.snapshotMessages() != 0) {
            throw new IllegalStateException(group.snapshotMessages() + " snapshot chunks were sent");
        }
    }

    @Benchmark
    @OperationsPerInvocation(1)
    public long batch1() {
        List<byte[]> one = singles.get(next);
        next = (next + 1) % POOL;
        return round(one);
    }

    @Benchmark
    @OperationsPerInvocation(64)
    public long batch64() {
        return round(batchOf64);
    }

    private long round(List<byte[]> commands) {
        long committed = group.proposeAndCommit(commands);
        if (committed - compactedAt >= COMPACT_EVERY) {
            group.compactAll(snapshotData);
            compactedAt = committed;
        }
        return committed;
    }
}
