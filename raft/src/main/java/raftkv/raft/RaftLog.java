package raftkv.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * The in-memory replicated log: the entries after the last snapshot, and the bookkeeping that
 * tells which of them are durable, committed and handed to the application.
 *
 * <p>Indices are 1-based as in the paper. Every entry up to {@code snapshotIndex} has been
 * compacted into a snapshot; only its term is remembered, for the consistency check of the next
 * AppendEntries.
 *
 * <p>Durability: entries from {@link #unstableFrom} on have not yet been given to storage. An entry
 * counts as durable ({@code <= stableIndex}) only after the runtime persisted it and called
 * {@link #markPersisted(long)}; a truncation that rewrites the suffix pulls both marks back.
 */
final class RaftLog {
    private long snapshotIndex;
    private long snapshotTerm;
    private final ArrayList<Entry> entries = new ArrayList<>();
    private long unstableFrom;
    private long stableIndex;
    private long commitIndex;
    private long appliedIndex;

    RaftLog(long snapshotIndex, long snapshotTerm, List<Entry> persisted, long commit) {
        this.snapshotIndex = snapshotIndex;
        this.snapshotTerm = snapshotTerm;
        long expected = snapshotIndex + 1;
        for (Entry e : persisted) {
            if (e.index() < expected) continue; // already covered by the snapshot
            if (e.index() != expected) {
                throw new IllegalArgumentException("log has a gap: expected index " + expected + ", got " + e.index());
            }
            entries.add(e);
            expected++;
        }
        this.stableIndex = lastIndex();
        this.unstableFrom = lastIndex() + 1;
        this.commitIndex = Math.max(snapshotIndex, Math.min(commit, lastIndex()));
        this.appliedIndex = snapshotIndex;
    }

    long snapshotIndex() { return snapshotIndex; }

    long snapshotTerm() { return snapshotTerm; }

    long firstIndex() { return snapshotIndex + 1; }

    long lastIndex() { return snapshotIndex + entries.size(); }

    long lastTerm() { return termAt(lastIndex()); }

    long commitIndex() { return commitIndex; }

    long appliedIndex() { return appliedIndex; }

    long stableIndex() { return stableIndex; }

    /**
     * The term of the entry at {@code index}, 0 at index 0 of a log that was never compacted, or -1
     * if compacted or absent.
     */
    long termAt(long index) {
        if (index == snapshotIndex) return snapshotTerm; // index 0 of an uncompacted log: term 0
        // Once compacted, index 0 is compacted like any other: answering 0 here made a leader send
        // an empty follower entries from index 1, which it no longer has, instead of its snapshot.
        if (index < snapshotIndex || index > lastIndex()) return -1;
        return entries.get((int) (index - snapshotIndex - 1)).term();
    }

    Entry entryAt(long index) {
        return entries.get((int) (index - snapshotIndex - 1));
    }

    boolean matches(long index, long term) {
        long t = termAt(index);
        return t >= 0 && t == term;
    }

    /** Election restriction (§5.4.1): is a log ending at (lastIndex, lastTerm) at least as up to date as ours? */
    boolean isUpToDate(long otherLastIndex, long otherLastTerm) {
        long myTerm = lastTerm();
        return otherLastTerm > myTerm || (otherLastTerm == myTerm && otherLastIndex >= lastIndex());
    }

    /** Appends new entries at the leader; they must follow the last index. */
    void appendLeaderEntries(List<Entry> batch) {
        for (Entry e : batch) {
            if (e.index() != lastIndex() + 1) throw new IllegalStateException("non-contiguous append " + e);
            entries.add(e);
        }
    }

    /**
     * The follower side of AppendEntries after the consistency check passed: skips entries it
     * already has, truncates at the first conflicting one (§5.3 step 3) and appends the rest.
     * Entries at or below the snapshot are committed and therefore already match.
     */
    void appendFollowerEntries(List<Entry> batch) {
        for (Entry e : batch) {
            if (e.index() <= snapshotIndex) continue;
            long have = termAt(e.index());
            if (have == e.term()) continue;
            if (have != -1) {
                if (e.index() <= commitIndex) {
                    throw new IllegalStateException("leader tried to overwrite committed entry " + e.index());
                }
                truncateFrom(e.index());
            }
            entries.add(e);
        }
    }

    private void truncateFrom(long index) {
        entries.subList((int) (index - snapshotIndex - 1), entries.size()).clear();
        unstableFrom = Math.min(unstableFrom, index);
        stableIndex = Math.min(stableIndex, index - 1);
    }

    /** The first index of the term held at {@code index}: where a leader should resume after a conflict. */
    long firstIndexOfTermAt(long index) {
        long term = termAt(index);
        long i = index;
        while (i - 1 > snapshotIndex && termAt(i - 1) == term) i--;
        return i;
    }

    /** The last index holding {@code term}, or -1: lets a leader jump over a follower's stale term. */
    long lastIndexOfTerm(long term) {
        for (long i = lastIndex(); i > snapshotIndex; i--) {
            long t = termAt(i);
            if (t == term) return i;
            if (t < term) break;
        }
        return -1;
    }

    /** Entries from {@code from} on, at most {@code maxBytes} (but always at least one if any). */
    List<Entry> slice(long from, int maxBytes) {
        List<Entry> out = new ArrayList<>();
        int bytes = 0;
        for (long i = from; i <= lastIndex(); i++) {
            Entry e = entryAt(i);
            bytes += e.sizeBytes();
            if (!out.isEmpty() && bytes > maxBytes) break;
            out.add(e);
        }
        return out;
    }

    void commitTo(long index) {
        if (index > commitIndex) {
            if (index > lastIndex()) throw new IllegalStateException("commit " + index + " beyond last " + lastIndex());
            commitIndex = index;
        }
    }

    boolean hasUnstable() {
        return unstableFrom <= lastIndex();
    }

    /** Entries not yet given to storage; marks them as given. */
    List<Entry> takeUnstable() {
        if (unstableFrom > lastIndex()) return List.of();
        List<Entry> out = List.copyOf(entries.subList((int) (unstableFrom - snapshotIndex - 1), entries.size()));
        unstableFrom = lastIndex() + 1;
        return out;
    }

    /** Storage made everything it was given up to {@code index} durable. */
    void markPersisted(long index) {
        // A truncation since the entries were given pulled unstableFrom back: what lies at or beyond it
        // was rewritten and is not the content that was persisted.
        stableIndex = Math.max(stableIndex, Math.min(index, unstableFrom - 1));
    }

    /** Committed, durable entries not yet given to the application; marks them as given. */
    List<Entry> takeCommitted() {
        long upTo = Math.min(commitIndex, stableIndex);
        if (upTo <= appliedIndex) return List.of();
        List<Entry> out = new ArrayList<>((int) (upTo - appliedIndex));
        for (long i = appliedIndex + 1; i <= upTo; i++) out.add(entryAt(i));
        appliedIndex = upTo;
        return out;
    }

    /** Drops entries up to {@code index}, which the application has captured in a snapshot. */
    void compact(long index) {
        if (index <= snapshotIndex) return;
        if (index > appliedIndex) throw new IllegalArgumentException("cannot compact past applied index " + appliedIndex);
        long term = termAt(index);
        entries.subList(0, (int) (index - snapshotIndex)).clear();
        snapshotIndex = index;
        snapshotTerm = term;
    }

    /**
     * Installs a snapshot received from the leader. If the log already holds the snapshot's last
     * entry, the entries after it are kept (§7); otherwise the whole log is replaced.
     */
    void restore(SnapshotMeta meta) {
        boolean keepSuffix = matches(meta.index(), meta.term()) && meta.index() <= lastIndex();
        if (keepSuffix) {
            entries.subList(0, (int) (meta.index() - snapshotIndex)).clear();
        } else {
            entries.clear();
        }
        snapshotIndex = meta.index();
        snapshotTerm = meta.term();
        commitIndex = Math.max(commitIndex, meta.index());
        appliedIndex = Math.max(appliedIndex, meta.index());
        if (keepSuffix) {
            stableIndex = Math.max(stableIndex, meta.index());
            unstableFrom = Math.max(unstableFrom, meta.index() + 1);
        } else {
            // The log is now empty after the snapshot: whatever comes next is new to storage. (Keeping
            // the old, larger unstableFrom made the next appended entry count as already persisted.)
            stableIndex = meta.index();
            unstableFrom = meta.index() + 1;
        }
    }
}
