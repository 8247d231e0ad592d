package raftkv.storage.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import raftkv.storage.LogRecord;
import raftkv.storage.SegmentedLog;
import raftkv.storage.WalOptions;
import raftkv.storage.WalWriter;
import raftkv.storage.fs.RealFiles;

/**
 * Group-commit benchmark. For each writer count, that many threads each append one record and
 * wait until it is durable, over and over; prints appends/s, fsyncs/s and append-to-durable
 * latency, next to the raw rate of "write a block + fdatasync" on the same directory, which is
 * the physical limit one fsync-per-append would hit. Writers are virtual threads, as a server's
 * request handlers would be; with platform threads the wake-ups of 256 threads on 2 cores, not
 * the WAL, set the pace.
 */
public final class WalBench {

    public static final List<Integer> DEFAULT_WRITERS = List.of(1, 16, 256);
    public static final int DEFAULT_ENTRY_BYTES = 256;
    public static final Duration DEFAULT_PER_RUN = Duration.ofSeconds(5);

    private WalBench() {
    }

    public static void main(String[] args) {
        System.exit(mainExitCode(args, System.out, System.err));
    }

    static int mainExitCode(String[] args, PrintStream out, PrintStream err) {
        List<Integer> writers = DEFAULT_WRITERS;
        int entryBytes = DEFAULT_ENTRY_BYTES;
        Path dir = null;
        Duration perRun = DEFAULT_PER_RUN;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("-h") || a.equals("--help")) {
                    out.println("usage: WalBench [--writers 1,16,256] [--entry-bytes 256] [--dir DIR] [--seconds 5]");
                    return 0;
                }
                if (i + 1 >= args.length) throw new IllegalArgumentException("missing value after " + a);
                String v = args[++i];
                switch (a) {
                    case "--writers" -> writers = Arrays.stream(v.split(",")).map(String::trim).map(Integer::parseInt).toList();
                    case "--entry-bytes" -> entryBytes = Integer.parseInt(v);
                    case "--dir" -> dir = Path.of(v);
                    case "--seconds" -> perRun = Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("WalBench: " + e.getMessage() + " (try --help)");
            return 2;
        }
        return run(writers, entryBytes, dir, perRun, out);
    }

    /**
     * Runs the benchmark; {@code dir} null means a fresh temp directory. Returns 0 on success,
     * 2 for bad arguments, 1 if the disk failed. Everything it creates under {@code dir} is removed.
     */
    public static int run(List<Integer> writerCounts, int entryBytes, Path dir, Duration perRun, PrintStream out) {
        if (writerCounts == null || writerCounts.isEmpty() || writerCounts.stream().anyMatch(n -> n == null || n < 1 || n > 10_000)) {
            out.println("WalBench: writer counts must be between 1 and 10000: " + writerCounts);
            return 2;
        }
        if (entryBytes < 0 || entryBytes > WalOptions.DEFAULT_MAX_RECORD_BYTES - 16) {
            out.println("WalBench: entry size out of range: " + entryBytes);
            return 2;
        }
        if (perRun == null || perRun.isNegative() || perRun.isZero()) {
            out.println("WalBench: run duration must be positive: " + perRun);
            return 2;
        }
        Path base = null;
        try {
            base = dir == null ? Files.createTempDirectory("walbench") : Files.createTempDirectory(Files.createDirectories(dir), "walbench");
            out.printf("WalBench: dir=%s entry=%dB perRun=%.1fs cores=%d java=%s%n", base, entryBytes,
                    perRun.toMillis() / 1000.0, Runtime.getRuntime().availableProcessors(), Runtime.version());
            // The raw rate is measured right before each run: on a shared or virtual disk it drifts.
            out.printf("%8s %12s %10s %10s %10s %10s %12s %10s%n", "writers", "appends/s", "fsyncs/s", "per-fsync",
                    "p50(us)", "p99(us)", "raw-sync/s", "sync/raw");
            for (int writers : writerCounts) {
                double raw = rawFdatasyncRate(base, entryBytes, perRun);
                Result r = runOnce(base.resolve("wal-" + writers), writers, entryBytes, perRun);
                out.printf("%8d %12.0f %10.0f %10.1f %10.0f %10.0f %12.0f %9.0f%%%n", writers, r.appendsPerSec, r.fsyncsPerSec,
                        r.appendsPerSec / Math.max(1e-9, r.fsyncsPerSec), r.p50Micros, r.p99Micros, raw, 100 * r.fsyncsPerSec / raw);
            }
            out.println("raw-sync/s: append " + (entryBytes + 24) + " bytes + FileChannel.force(false) in a loop on a scratch file in the same directory");
            return 0;
        } catch (IOException | RuntimeException e) {
            out.println("WalBench: failed: " + e);
            return 1;
        } finally {
            if (base != null) deleteTree(base);
        }
    }

    private record Result(double appendsPerSec, double fsyncsPerSec, double p50Micros, double p99Micros) {
    }

    private static Result runOnce(Path walDir, int writers, int entryBytes, Duration perRun) throws IOException {
        byte[] payload = new byte[entryBytes];
        Arrays.fill(payload, (byte) 'x');
        Object order = new Object();
        long[] next = {1};
        long[][] latencies = new long[writers][];
        int[] counts = new int[writers];
        try (SegmentedLog log = SegmentedLog.open(RealFiles.INSTANCE, walDir, WalOptions.defaults())) {
            WalWriter writer = WalWriter.start(log, "walbench-io");
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            long[] window = new long[2];
            for (int t = 0; t < writers; t++) {
                int me = t;
                latencies[me] = new long[1024];
                Thread th = Thread.ofVirtual().name("walbench-writer-" + t).unstarted(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    long end = window[1];
                    while (System.nanoTime() < end) {
                        long t0 = System.nanoTime();
                        CompletableFuture<Long> f;
                        synchronized (order) { // indexes must reach the writer in order
                            f = writer.submit(List.of(new LogRecord(next[0]++, 1, payload)));
                        }
                        f.join();
                        if (counts[me] == latencies[me].length) latencies[me] = Arrays.copyOf(latencies[me], counts[me] * 2);
                        latencies[me][counts[me]++] = System.nanoTime() - t0;
                    }
                });
                th.start();
                threads.add(th);
            }
            long fsyncsBefore = writer.fsyncCount();
            window[0] = System.nanoTime();
            window[1] = window[0] + perRun.toNanos();
            start.countDown();
            for (Thread th : threads) {
                try {
                    th.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
            double secs = (System.nanoTime() - window[0]) / 1e9;
            long fsyncs = writer.fsyncCount() - fsyncsBefore;
            writer.close();
            int total = Arrays.stream(counts).sum();
            long[] all = new long[total];
            int k = 0;
            for (int t = 0; t < writers; t++) {
                System.arraycopy(latencies[t], 0, all, k, counts[t]);
                k += counts[t];
            }
            Arrays.sort(all);
            return new Result(total / secs, fsyncs / secs, percentile(all, 0.50) / 1e3, percentile(all, 0.99) / 1e3);
        }
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) return Double.NaN;
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }

    /** Appends a block and fdatasyncs, in a loop, on a scratch file: the disk's own limit. */
    private static double rawFdatasyncRate(Path dir, int blockBytes, Duration perRun) throws IOException {
        Path scratch = dir.resolve("raw-fdatasync.scratch");
        ByteBuffer block = ByteBuffer.allocate(Math.max(1, blockBytes + 24));
        long n = 0;
        try (FileChannel ch = FileChannel.open(scratch, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            long pos = 0;
            long t0 = System.nanoTime();
            long end = t0 + perRun.toNanos();
            while (System.nanoTime() < end) {
                block.clear();
                while (block.hasRemaining()) pos += ch.write(block, pos);
                ch.force(false);
                n++;
            }
            return n / ((System.nanoTime() - t0) / 1e9);
        } finally {
            Files.deleteIfExists(scratch);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            System.err.println("WalBench: could not remove " + root + ": " + e.getMessage());
        }
    }
}
