package raftkv.storage;

/**
 * When to take a snapshot: once at least {@code minEntries} entries were applied since the last
 * snapshot, or the log on disk has grown to {@code maxLogBytes}. Either threshold may be
 * {@link Long#MAX_VALUE} to disable it.
 */
public record SnapshotPolicy(long minEntries, long maxLogBytes) {

    public static final SnapshotPolicy DEFAULT = new SnapshotPolicy(10_000, 256L << 20);

    public SnapshotPolicy {
        if (minEntries < 1) throw new IllegalArgumentException("minEntries must be >= 1: " + minEntries);
        if (maxLogBytes < 1) throw new IllegalArgumentException("maxLogBytes must be >= 1: " + maxLogBytes);
    }

    public boolean shouldSnapshot(long entriesSinceLastSnapshot, long logBytes) {
        return entriesSinceLastSnapshot >= minEntries || logBytes >= maxLogBytes;
    }
}
