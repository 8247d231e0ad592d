package raftkv.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import raftkv.kv.KvCommand.Batch;
import raftkv.kv.KvCommand.CompareAndSet;
import raftkv.kv.KvCommand.Delete;
import raftkv.kv.KvCommand.Get;
import raftkv.kv.KvCommand.Put;
import raftkv.kv.KvResult.BatchResult;
import raftkv.kv.KvResult.CasResult;
import raftkv.kv.KvResult.Value;

class CommandSemanticsTest {
    private final KvStateMachine sm = new KvStateMachine();
    private long index;

    private static Bytes b(String s) {
        return Bytes.utf8(s);
    }

    private KvResult apply(KvCommand c) {
        return sm.apply(++index, c);
    }

    @Test
    void putThenGetThenDelete() {
        assertThat(apply(new Get(b("k")))).isEqualTo(new Value(null));
        assertThat(apply(new Put(b("k"), b("v1")))).isEqualTo(KvResult.OK);
        assertThat(apply(new Put(b("k"), b("v2")))).isEqualTo(KvResult.OK);
        assertThat(apply(new Get(b("k")))).isEqualTo(new Value(b("v2")));
        assertThat(apply(new Delete(b("k")))).isEqualTo(new Value(b("v2")));
        assertThat(apply(new Delete(b("k")))).isEqualTo(new Value(null));
        assertThat(sm.get(b("k"))).isNull();
        assertThat(sm.appliedIndex()).isEqualTo(6);
    }

    @Test
    void casOnAbsentKey() {
        assertThat(apply(new CompareAndSet(b("k"), b("x"), b("y")))).isEqualTo(new CasResult(false, null));
        assertThat(sm.get(b("k"))).isNull();
        assertThat(apply(new CompareAndSet(b("k"), null, b("y")))).isEqualTo(new CasResult(true, b("y")));
        assertThat(sm.get(b("k"))).isEqualTo(b("y"));
    }

    @Test
    void casOnPresentKey() {
        apply(new Put(b("k"), b("v")));
        assertThat(apply(new CompareAndSet(b("k"), null, b("w")))).isEqualTo(new CasResult(false, b("v")));
        assertThat(apply(new CompareAndSet(b("k"), b("nope"), b("w")))).isEqualTo(new CasResult(false, b("v")));
        assertThat(apply(new CompareAndSet(b("k"), b("v"), b("w")))).isEqualTo(new CasResult(true, b("w")));
        assertThat(apply(new CompareAndSet(b("k"), b("w"), null))).isEqualTo(new CasResult(true, null));
        assertThat(sm.get(b("k"))).isNull();
        assertThat(sm.keyCount()).isZero();
    }

    @Test
    void batchAppliesInOrderAndSeesItsOwnWrites() {
        KvResult r = apply(new Batch(List.of(
                new Put(b("a"), b("1")),
                new CompareAndSet(b("a"), b("1"), b("2")),
                new Get(b("a")),
                new Delete(b("a")),
                new Get(b("a")))));
        assertThat(r).isEqualTo(new BatchResult(List.of(
                KvResult.OK, new CasResult(true, b("2")), new Value(b("2")), new Value(b("2")), new Value(null))));
        assertThat(sm.appliedIndex()).isEqualTo(1);
    }

    @Test
    void invalidBatchIsRejectedWholeAndChangesNothing() {
        Bytes hugeKey = Bytes.of(new byte[KvLimits.MAX_KEY_BYTES + 1]);
        KvResult r = apply(new Batch(List.of(new Put(b("a"), b("1")), new Put(hugeKey, b("2")))));
        assertThat(r).isInstanceOf(KvResult.Rejected.class);
        assertThat(((KvResult.Rejected) r).reason()).contains("batch operation 1").contains("key is");
        assertThat(sm.get(b("a"))).isNull();
        assertThat(sm.appliedIndex()).isEqualTo(1);
    }

    @Test
    void emptyEntryIsNoOpThatAdvancesIndex() {
        assertThat(KvCodec.decodeResult(sm.apply(5, new byte[0]))).isEqualTo(KvResult.OK);
        assertThat(sm.appliedIndex()).isEqualTo(5);
        assertThat(sm.keyCount()).isZero();
    }

    @Test
    void malformedEntryIsRejectedDeterministicallyAndAdvancesIndex() {
        KvResult r = KvCodec.decodeResult(sm.apply(1, new byte[] {1, 0x7f}));
        assertThat(r).isInstanceOf(KvResult.Rejected.class);
        assertThat(((KvResult.Rejected) r).reason()).contains("unknown operation tag 0x7f");
        assertThat(sm.appliedIndex()).isEqualTo(1);
    }

    @Test
    void replayedIndexIsIgnored() {
        sm.apply(1, KvCodec.encode(new Put(b("k"), b("v1"))));
        sm.apply(2, KvCodec.encode(new Put(b("k"), b("v2"))));
        KvResult r = sm.applyEntry(1, KvCodec.encode(new Put(b("k"), b("v1"))));
        assertThat(r).isEqualTo(new KvResult.AlreadyApplied(1, 2));
        assertThat(sm.apply(2, new Delete(b("k")))).isEqualTo(new KvResult.AlreadyApplied(2, 2));
        assertThat(sm.get(b("k"))).isEqualTo(b("v2"));
        assertThat(sm.appliedIndex()).isEqualTo(2);
    }

    @Test
    void indexesMaySkip() {
        assertThat(sm.apply(3, new Put(b("k"), b("v")))).isEqualTo(KvResult.OK);
        assertThat(sm.apply(10, new Get(b("k")))).isEqualTo(new Value(b("v")));
        assertThat(sm.appliedIndex()).isEqualTo(10);
    }

    @Test
    void localReadsDoNotChangeState() {
        apply(new Put(b("b"), b("2")));
        apply(new Put(b("a"), b("1")));
        apply(new Put(b("c"), b("3")));
        byte[] before = sm.snapshot();
        assertThat(sm.read(new Get(b("a")))).isEqualTo(new Value(b("1")));
        assertThat(sm.scan(b("a"), b("c"), 10)).extracting(e -> e.getKey().asUtf8()).containsExactly("a", "b");
        assertThat(sm.scan(null, null, 2)).extracting(e -> e.getKey().asUtf8()).containsExactly("a", "b");
        assertThat(sm.scan(b("b"), null, 10)).extracting(e -> e.getValue().asUtf8()).containsExactly("2", "3");
        assertThat(sm.scan(b("c"), b("a"), 10)).isEmpty();
        assertThat(sm.appliedIndex()).isEqualTo(3);
        assertThat(sm.snapshot()).isEqualTo(before);
    }

    @Test
    void dataBytesTracksContent() {
        apply(new Put(b("ab"), b("123")));
        apply(new Put(b("ab"), b("1")));
        apply(new Put(b("c"), b("")));
        assertThat(sm.dataBytes()).isEqualTo(2 + 1 + 1);
        apply(new Delete(b("ab")));
        assertThat(sm.dataBytes()).isEqualTo(1);
    }
}
