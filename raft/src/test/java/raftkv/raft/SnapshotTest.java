package raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static raftkv.raft.Drive.config;
import static raftkv.raft.Drive.core;
import static raftkv.raft.Drive.log;
import static raftkv.raft.Drive.step;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import raftkv.raft.Message.AppendRequest;
import raftkv.raft.Message.AppendResponse;
import raftkv.raft.Message.SnapshotChunk;
import raftkv.raft.Message.SnapshotResponse;

/** Log compaction and InstallSnapshot (§7), sent in chunks. */
class SnapshotTest {
    private static final int NONE = RaftCore.NONE;
    private static final int CHUNK = 4;

    private static TestCluster smallChunks(int n) {
        return new TestCluster(n, id -> config(id).withLimits(64, 1 << 20, CHUNK), 42);
    }

    /** A cluster where the leader compacted past what {@code lagging} (down meanwhile) has. */
    private static int[] compactedWhileDown(TestCluster c, boolean downFromTheStart) {
        int lagging = 3;
        if (downFromTheStart) c.crash(lagging);
        int l = c.electLeader();
        if (!downFromTheStart) {
            lagging = l % 3 + 1;
            c.crash(lagging);
        }
        for (int i = 0; i < 10; i++) c.propose(l, "v" + i);
        c.tickAll(2);
        assertThat(c.compact(l)).isPositive();
        c.restart(lagging);
        return new int[] {l, lagging};
    }

    private static List<SnapshotChunk> chunksTo(TestCluster c, int to) {
        return c.delivered.stream().filter(m -> m instanceof SnapshotChunk s && s.to() == to)
                .map(SnapshotChunk.class::cast).toList();
    }

    @Test
    void aLaggingFollowerReceivesTheSnapshotInChunksAndThenTheLogAfterIt() {
        TestCluster c = smallChunks(3);
        int[] ids = compactedWhileDown(c, false);
        int l = ids[0], lagging = ids[1];
        c.tickAll(10);
        Snapshot sent = c.disks.get(l).snapshot;
        List<SnapshotChunk> chunks = chunksTo(c, lagging);
        assertThat(chunks).hasSize((sent.data().length + CHUNK - 1) / CHUNK);
        for (int i = 0; i < chunks.size(); i++) {
            assertThat(chunks.get(i).offset()).isEqualTo((long) i * CHUNK);
            assertThat(chunks.get(i).data().length).isLessThanOrEqualTo(CHUNK);
            assertThat(chunks.get(i).done()).isEqualTo(i == chunks.size() - 1);
        }
        assertThat(c.disks.get(lagging).snapshot.data()).isEqualTo(sent.data());
        assertThat(c.disks.get(lagging).snapshot.meta()).isEqualTo(sent.meta());
        c.propose(l, "after");
        c.tickAll(3);
        assertThat(c.machine.get(lagging)).isEqualTo(c.machine.get(l));
        assertThat(c.machine.get(lagging).getLast()).endsWith(":after");
    }

    @Test
    void aLostChunkIsSentAgain() {
        TestCluster c = smallChunks(3);
        AtomicInteger seen = new AtomicInteger();
        c.link = m -> !(m instanceof SnapshotChunk s && s.offset() == CHUNK && seen.incrementAndGet() == 1);
        int[] ids = compactedWhileDown(c, false);
        c.tickAll(10);
        assertThat(seen.get()).as("the second chunk was sent again after being lost").isGreaterThanOrEqualTo(2);
        assertThat(c.disks.get(ids[1]).snapshot.data()).isEqualTo(c.disks.get(ids[0]).snapshot.data());
        assertThat(c.core(ids[1]).commitIndex()).isEqualTo(c.core(ids[0]).commitIndex());
    }

    @Test
    void aFollowerWithAnEmptyLogGetsTheSnapshot() { // regression: the leader used to send entry 1, compacted
        TestCluster c = smallChunks(3);
        int[] ids = compactedWhileDown(c, true);
        c.tickAll(10);
        assertThat(c.disks.get(ids[1]).snapshot).isNotNull();
        assertThat(c.machine.get(ids[1])).isEqualTo(c.machine.get(ids[0]));
    }

    private static SnapshotChunk whole(long index, long term, String data) {
        return new SnapshotChunk(2, 1, 3, new SnapshotMeta(index, term, Drive.voters(3)), 0,
                data.getBytes(StandardCharsets.UTF_8), true);
    }

    @Test
    void aFollowerKeepsTheEntriesAfterASnapshotThatMatchesItsLog() { // §7
        RaftCore f = core(config(1), 3, new HardState(3, NONE, 1), log(1, 1, 1, 1));
        Drive.flush(f);
        Drive.Out out = step(f, whole(3, 1, "abc"));
        assertThat(out.snapshots()).singleElement().satisfies(s -> assertThat(s.meta().index()).isEqualTo(3));
        assertThat(out.afterPersist()).containsExactly(new SnapshotResponse(1, 2, 3, 3, 3, true));
        assertThat(f.lastIndex()).isEqualTo(4);
        assertThat(f.termAt(4)).isEqualTo(1);
        assertThat(f.commitIndex()).isEqualTo(3);
        assertThat(f.status().snapshotIndex()).isEqualTo(3);
    }

    @Test
    void aFollowerDiscardsItsLogWhenTheSnapshotDisagreesAndPersistsWhatComesNext() {
        RaftCore f = core(config(1), 3, new HardState(3, NONE, 1), log(1, 1, 2, 2, 2));
        Drive.flush(f);
        step(f, whole(3, 3, "abc"));
        assertThat(f.lastIndex()).isEqualTo(3);
        assertThat(f.termAt(3)).isEqualTo(3);
        // Regression: the next entry used to be counted as persisted without going to storage.
        Drive.Out out = step(f, new AppendRequest(2, 1, 3, 3, 3, List.of(new Entry(4, 3, Drive.bytes("x"))), 4));
        assertThat(out.entries()).extracting(Entry::index).containsExactly(4L);
        assertThat(out.afterPersist()).contains(new AppendResponse(1, 2, 3, true, 4, 0, 0));
    }

    @Test
    void aStaleSnapshotIsIgnored() {
        RaftCore f = core(config(1), 3, new HardState(3, NONE, 5), log(1, 1, 1, 1, 1));
        Drive.flush(f);
        Drive.Out out = step(f, whole(3, 1, "old"));
        assertThat(out.snapshots()).isEmpty();
        assertThat(out.sent(SnapshotResponse.class)).singleElement()
                .satisfies(r -> {
                    assertThat(r.installed()).isTrue();
                    assertThat(r.index()).as("the leader may resume after our commit index").isEqualTo(5);
                });
        assertThat(f.lastIndex()).isEqualTo(5);
        assertThat(f.status().snapshotIndex()).isZero();
    }

    @Test
    void aStaleSnapshotIsAnsweredOnlyOnceTheEntriesItVouchesForAreDurable() { // regression (fuzz seed 7326)
        RaftCore f = core(config(1), 3, new HardState(3, NONE, 0), List.of());
        Drive.flush(f);
        f.step(new AppendRequest(2, 1, 3, 0, 0, List.of(new Entry(1, 3, null), new Entry(2, 3, null), new Entry(3, 3, null)), 3));
        Ready writing = f.ready(); // the disk is still writing entries 1..3
        f.step(whole(2, 3, "x")); // covered by our commit index (3): the answer claims we hold 1..3
        assertThat(writing.messages()).noneMatch(m -> m instanceof SnapshotResponse);
        f.advance(writing);
        Ready next = f.ready();
        assertThat(next.messages()).noneMatch(m -> m instanceof SnapshotResponse);
        assertThat(next.messagesAfterPersist()).contains(new SnapshotResponse(1, 2, 3, 3, 0, true));
        f.advance(next);
    }

    @Test
    void chunksMustArriveInOrderAndTheFollowerSaysWhichOneItNeeds() {
        RaftCore f = core(config(1), 3, new HardState(3, NONE, 0), List.of());
        Drive.flush(f);
        SnapshotMeta meta = new SnapshotMeta(7, 2, Drive.voters(3));
        byte[] a = Drive.bytes("0123"), b = Drive.bytes("4567"), z = Drive.bytes("89");
        SnapshotResponse r = step(f, new SnapshotChunk(2, 1, 3, meta, 4, b, false)).sent(SnapshotResponse.class).getFirst();
        assertThat(r.installed()).isFalse();
        assertThat(r.nextOffset()).as("nothing received yet").isZero();
        assertThat(step(f, new SnapshotChunk(2, 1, 3, meta, 0, a, false)).sent(SnapshotResponse.class).getFirst().nextOffset()).isEqualTo(4);
        assertThat(step(f, new SnapshotChunk(2, 1, 3, meta, 8, z, true)).sent(SnapshotResponse.class).getFirst().nextOffset())
                .as("a gap").isEqualTo(4);
        assertThat(step(f, new SnapshotChunk(2, 1, 3, meta, 4, b, false)).sent(SnapshotResponse.class).getFirst().nextOffset()).isEqualTo(8);
        Drive.Out done = step(f, new SnapshotChunk(2, 1, 3, meta, 8, z, true));
        assertThat(done.snapshots()).singleElement()
                .satisfies(s -> assertThat(new String(s.data(), StandardCharsets.UTF_8)).isEqualTo("0123456789"));
        assertThat(f.commitIndex()).isEqualTo(7);
        assertThat(f.termAt(7)).isEqualTo(2);
    }

    @Test
    void aRestartedNodeRecoversFromItsSnapshotAndTheLogAfterIt() {
        TestCluster c = new TestCluster(3);
        int l = c.electLeader();
        for (int i = 0; i < 5; i++) c.propose(l, "v" + i);
        c.tickAll(2);
        int f = l % 3 + 1;
        c.compact(f);
        c.propose(l, "after");
        c.tickAll(2);
        List<String> before = List.copyOf(c.machine.get(f));
        c.crash(f);
        c.restart(f);
        c.tickAll(3);
        assertThat(c.core(f).status().snapshotIndex()).isPositive();
        assertThat(c.machine.get(f)).isEqualTo(before);
        assertThat(c.appliedCommands(f)).containsExactly("after"); // only what came after the snapshot is replayed
    }
}
