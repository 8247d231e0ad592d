package raftkv.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class SnapshotTest {
    private static final KvConfig SMALL = new KvConfig(600_000, 8, 8);

    /**
     * Starts with 12 registrations at indexes 1..12, so the workload's client ids 1..12 hit live
     * sessions, sessions evicted by the cap of 8, and (as leader time advances) expired ones.
     */
    @Provide
    Arbitrary<List<KvCommand>> workloads() {
        return Generators.workload().list().ofMinSize(1).ofMaxSize(80).map(list -> {
            List<KvCommand> all = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                all.add(new KvCommand.RegisterClient(0));
            }
            all.addAll(list);
            return all;
        });
    }

    private static List<KvResult> run(KvStateMachine sm, List<KvCommand> commands, long firstIndex) {
        List<KvResult> results = new ArrayList<>();
        long index = firstIndex;
        for (KvCommand c : commands) {
            // Through the byte interface, as the node does; after the registrations, some no-ops.
            if (index > 12 && index % 4 == 0) {
                sm.apply(index++, new byte[0]);
            }
            results.add(KvCodec.decodeResult(sm.apply(index++, KvCodec.encode(c))));
        }
        return results;
    }

    @Property(tries = 200)
    void twoReplicasFedTheSameEntriesAreByteIdentical(@ForAll("workloads") List<KvCommand> commands) {
        KvStateMachine a = new KvStateMachine(SMALL);
        KvStateMachine b = new KvStateMachine(SMALL);
        assertThat(run(a, commands, 1)).isEqualTo(run(b, commands, 1));
        assertThat(a.snapshot()).isEqualTo(b.snapshot());
    }

    @Property(tries = 200)
    void restoredMachineBehavesIdentically(@ForAll("workloads") List<KvCommand> first,
                                           @ForAll("workloads") List<KvCommand> second) {
        KvStateMachine original = new KvStateMachine(SMALL);
        run(original, first, 1);
        byte[] snap = original.snapshot();
        KvStateMachine restored = KvStateMachine.restore(snap);
        assertThat(restored.snapshot()).isEqualTo(snap);
        assertThat(restored.appliedIndex()).isEqualTo(original.appliedIndex());

        long next = original.appliedIndex() + 1;
        assertThat(run(restored, second, next)).isEqualTo(run(original, second, next));
        assertThat(restored.snapshot()).isEqualTo(original.snapshot());
    }

    @Property(tries = 50)
    void workloadsExerciseSessions(@ForAll("workloads") List<KvCommand> commands) {
        KvStateMachine sm = new KvStateMachine(SMALL);
        run(sm, commands, 1);
        assertThat(sm.sessionCount()).isBetween(0, 8);
        assertThat(KvStateMachine.restore(sm.snapshot()).sessionCount()).isEqualTo(sm.sessionCount());
    }

    @Test
    void streamingAndByteArraySnapshotsAgree() throws Exception {
        KvStateMachine sm = new KvStateMachine();
        for (int i = 1; i <= 5_000; i++) { // large enough to flush the stream buffer many times
            sm.apply(i, new KvCommand.Put(Bytes.utf8("key" + i), Bytes.of(new byte[100])));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        sm.writeSnapshot(out);
        assertThat(out.toByteArray()).isEqualTo(sm.snapshot());
        KvStateMachine restored = KvStateMachine.restore(new ByteArrayInputStream(out.toByteArray()));
        assertThat(restored.keyCount()).isEqualTo(5_000);
        assertThat(restored.get(Bytes.utf8("key77"))).isEqualTo(Bytes.of(new byte[100]));
    }

    @Test
    void snapshotIsIndependentOfInsertionOrder() {
        KvStateMachine a = new KvStateMachine();
        KvStateMachine b = new KvStateMachine();
        a.apply(1, new KvCommand.Put(Bytes.utf8("x"), Bytes.utf8("1")));
        a.apply(2, new KvCommand.Put(Bytes.utf8("y"), Bytes.utf8("2")));
        b.apply(1, new KvCommand.Put(Bytes.utf8("y"), Bytes.utf8("2")));
        b.apply(2, new KvCommand.Put(Bytes.utf8("x"), Bytes.utf8("1")));
        assertThat(a.snapshot()).isEqualTo(b.snapshot());
    }

    @Test
    void everySingleBitFlipIsDetected() {
        KvStateMachine sm = new KvStateMachine();
        sm.apply(1, new KvCommand.RegisterClient(10));
        sm.apply(2, new KvCommand.SessionRequest(1, 0, 0, 20, new KvCommand.Put(Bytes.utf8("k"), Bytes.utf8("v"))));
        byte[] snap = sm.snapshot();
        for (int i = 0; i < snap.length * 8; i++) {
            byte[] bad = snap.clone();
            bad[i / 8] ^= (byte) (1 << (i % 8));
            assertThatThrownBy(() -> KvStateMachine.restore(bad)).isInstanceOf(CorruptSnapshotException.class);
        }
    }

    @Test
    void corruptionMessagesSayWhatIsWrong() {
        byte[] snap = new KvStateMachine().snapshot();
        assertThatThrownBy(() -> KvStateMachine.restore(Arrays.copyOf(snap, 3)))
                .isInstanceOf(CorruptSnapshotException.class).hasMessageContaining("only 3 bytes");
        byte[] badMagic = snap.clone();
        badMagic[0] = 'X';
        assertThatThrownBy(() -> KvStateMachine.restore(badMagic)).hasMessageContaining("bad magic");
        byte[] badVersion = snap.clone();
        badVersion[4] = 9;
        assertThatThrownBy(() -> KvStateMachine.restore(badVersion)).hasMessageContaining("unsupported snapshot version 9");
        byte[] badCrc = snap.clone();
        badCrc[badCrc.length - 1] ^= 1;
        assertThatThrownBy(() -> KvStateMachine.restore(badCrc)).hasMessageContaining("CRC32C mismatch");
    }

    @Test
    void structurallyBadSnapshotWithValidChecksumIsRejected() {
        // Hand-built: keys out of order, with a correct CRC, must still be refused.
        ByteWriter w = new ByteWriter(64);
        w.raw(SnapshotCodec.MAGIC);
        w.u8(SnapshotCodec.VERSION);
        w.varlong(600_000);
        w.varlong(10);
        w.varlong(10);
        w.varlong(7); // applied index
        w.varlong(0); // clock
        w.varlong(2);
        w.bytes(new byte[] {'b'});
        w.bytes(new byte[] {'1'});
        w.bytes(new byte[] {'a'});
        w.bytes(new byte[] {'2'});
        w.varlong(0);
        byte[] body = w.toByteArray();
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(body);
        w.u32((int) crc.getValue());
        byte[] snap = w.toByteArray();
        assertThatThrownBy(() -> KvStateMachine.restore(snap))
                .isInstanceOf(CorruptSnapshotException.class).hasMessageContaining("keys out of order");
    }
}
