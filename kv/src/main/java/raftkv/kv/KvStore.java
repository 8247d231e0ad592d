package raftkv.kv;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

import raftkv.kv.KvCommand.Batch;
import raftkv.kv.KvCommand.CompareAndSet;
import raftkv.kv.KvCommand.Delete;
import raftkv.kv.KvCommand.Get;
import raftkv.kv.KvCommand.KeyOp;
import raftkv.kv.KvCommand.KvOp;
import raftkv.kv.KvCommand.Put;

/**
 * The sorted key-value map and the semantics of each data operation. Single-threaded: the node's
 * event loop owns it. Operations are assumed valid ({@link KvValidator}); none can fail halfway,
 * which is what makes a {@link Batch} atomic.
 */
final class KvStore {
    private final TreeMap<Bytes, Bytes> map = new TreeMap<>();
    private long totalBytes; // sum of key and value lengths, for monitoring

    KvResult apply(KvOp op) {
        return switch (op) {
            case Put p -> {
                put(p.key(), p.value());
                yield KvResult.OK;
            }
            case Get g -> new KvResult.Value(map.get(g.key()));
            case Delete d -> new KvResult.Value(remove(d.key()));
            case CompareAndSet c -> {
                Bytes current = map.get(c.key());
                if (!Objects.equals(current, c.expected())) {
                    yield new KvResult.CasResult(false, current);
                }
                if (c.newValue() == null) {
                    remove(c.key());
                } else {
                    put(c.key(), c.newValue());
                }
                yield new KvResult.CasResult(true, c.newValue());
            }
            case Batch b -> {
                List<KvResult> results = new ArrayList<>(b.ops().size());
                for (KeyOp each : b.ops()) {
                    results.add(apply(each));
                }
                yield new KvResult.BatchResult(results);
            }
        };
    }

    Bytes get(Bytes key) {
        return map.get(key);
    }

    int size() {
        return map.size();
    }

    long totalBytes() {
        return totalBytes;
    }

    /** Read-only sorted view, for snapshots and scans. */
    NavigableMap<Bytes, Bytes> view() {
        return Collections.unmodifiableNavigableMap(map);
    }

    /** Up to {@code limit} entries with {@code from <= key < to}; null bounds are open. */
    List<Map.Entry<Bytes, Bytes>> scan(Bytes from, Bytes to, int limit) {
        NavigableMap<Bytes, Bytes> range = map;
        if (from != null && to != null) {
            if (from.compareTo(to) >= 0) {
                return List.of();
            }
            range = map.subMap(from, true, to, false);
        } else if (from != null) {
            range = map.tailMap(from, true);
        } else if (to != null) {
            range = map.headMap(to, false);
        }
        List<Map.Entry<Bytes, Bytes>> out = new ArrayList<>();
        for (Map.Entry<Bytes, Bytes> e : range.entrySet()) {
            if (out.size() >= limit) {
                break;
            }
            out.add(Map.entry(e.getKey(), e.getValue()));
        }
        return out;
    }

    void put(Bytes key, Bytes value) {
        Bytes old = map.put(key, value);
        totalBytes += value.length() + (old == null ? key.length() : -old.length());
    }

    private Bytes remove(Bytes key) {
        Bytes old = map.remove(key);
        if (old != null) {
            totalBytes -= key.length() + old.length();
        }
        return old;
    }
}
