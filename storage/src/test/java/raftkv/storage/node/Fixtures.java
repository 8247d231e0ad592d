package raftkv.storage.node;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import raftkv.raft.Configuration;
import raftkv.raft.Entry;
import raftkv.raft.Snapshot;
import raftkv.raft.SnapshotMeta;

/** Small builders shared by the adapter tests. */
final class Fixtures {

    static final Configuration MEMBERS = new Configuration(Set.of(1, 2, 3), Set.of(7));

    private Fixtures() {
    }

    static Entry entry(long index, long term) {
        return new Entry(index, term, ("value " + index + "@" + term).getBytes(StandardCharsets.UTF_8));
    }

    static List<Entry> entries(long from, long toInclusive, long term) {
        List<Entry> out = new ArrayList<>();
        for (long i = from; i <= toInclusive; i++) out.add(entry(i, term));
        return out;
    }

    static Snapshot snapshot(long index, long term) {
        return new Snapshot(new SnapshotMeta(index, term, MEMBERS), ("state through " + index).getBytes(StandardCharsets.UTF_8));
    }

    /** Entries compared by value (Entry holds an array, so record equality is by identity). */
    static List<String> describe(List<Entry> entries) {
        List<String> out = new ArrayList<>();
        for (Entry e : entries) out.add(e.index() + "@" + e.term() + ":" + new String(e.data(), StandardCharsets.UTF_8));
        return out;
    }
}
