package raftkv.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

import raftkv.kv.Bytes;
import raftkv.kv.KvCommand;
import raftkv.kv.KvResult;

class RaftNodeTest {
    private static Request put(String k, String v) {
        return new Request.Write(new KvCommand.Put(Bytes.utf8(k), Bytes.utf8(v)));
    }

    private static Request get(String k) {
        return new Request.Read(Bytes.utf8(k), false);
    }

    private static Reply.Done done(Reply r) {
        assertThat(r).isInstanceOf(Reply.Done.class);
        return (Reply.Done) r;
    }

    @Test
    void writesAndLinearizableReads() {
        NodeCluster c = new NodeCluster(3, 1, 0);
        int l = c.awaitLeader();
        assertThat(done(c.call(l, put("a", "1"))).result()).isEqualTo(new KvResult.Ok());
        assertThat(done(c.call(l, get("a"))).result()).isEqualTo(new KvResult.Value(Bytes.utf8("1")));
        int follower = l % 3 + 1;
        assertThat(c.call(follower, get("a"))).isEqualTo(new Reply.NotLeader(l));
    }

    @Test
    void survivesLeaderCrashAndRestartsFromStorage() {
        NodeCluster c = new NodeCluster(3, 2, 5);
        int l = c.awaitLeader();
        for (int i = 0; i < 20; i++) done(c.call(l, put("k" + i, "v" + i)));
        c.crash(l);
        int l2 = c.awaitLeader();
        assertThat(l2).isNotEqualTo(l);
        done(c.call(l2, put("after", "crash")));
        c.restart(l);
        c.time.runFor(2_000);
        assertThat(c.nodes.get(l).stateMachine().get(Bytes.utf8("k19"))).isEqualTo(Bytes.utf8("v19"));
        assertThat(c.nodes.get(l).stateMachine().get(Bytes.utf8("after"))).isEqualTo(Bytes.utf8("crash"));
    }

    @Test
    void partitionedLeaderDoesNotServeStaleReads() {
        NodeCluster c = new NodeCluster(5, 3, 0);
        int l = c.awaitLeader();
        done(c.call(l, put("x", "old")));
        c.side = Set.of(l);
        Reply stale = c.call(l, get("x"));
        assertThat(stale.definitelyFailed()).as("an isolated leader cannot confirm a read: %s", stale).isTrue();
        int l2 = c.awaitLeader();
        done(c.call(l2, put("x", "new")));
        c.side = null;
        c.time.runFor(1_000);
        int now = c.awaitLeader();
        assertThat(done(c.call(now, get("x"))).result()).isEqualTo(new KvResult.Value(Bytes.utf8("new")));
    }

    @Test
    void sessionRetryIsAppliedOnce() {
        NodeCluster c = new NodeCluster(3, 4, 0);
        int l = c.awaitLeader();
        long client = ((KvResult.Registered) done(c.call(l, new Request.Write(new KvCommand.RegisterClient(0)))).result()).clientId();
        var cas = new KvCommand.CompareAndSet(Bytes.utf8("c"), null, Bytes.utf8("1"));
        Request req = new Request.Write(new KvCommand.SessionRequest(client, 1, 1, 0, cas));
        KvResult first = done(c.call(l, req)).result();
        KvResult retry = done(c.call(l, req)).result();
        assertThat(first).isEqualTo(retry).isEqualTo(new KvResult.CasResult(true, Bytes.utf8("1")));
    }

    @Test
    void oversizedValueIsRejectedClearly() {
        NodeCluster c = new NodeCluster(3, 5, 0);
        int l = c.awaitLeader();
        Reply r = c.call(l, new Request.Write(new KvCommand.Put(Bytes.utf8("big"), Bytes.of(new byte[2 << 20]))));
        assertThat(r).isInstanceOf(Reply.Rejected.class);
        assertThat(((Reply.Rejected) r).reason()).contains("value");
    }

    @Test
    void snapshotsAreTakenByAppliedBytesToo() {
        NodeCluster c = new NodeCluster(3, 6, NodeConfig.defaults(0).withSnapshotEvery(0).withSnapshotEveryBytes(4_000));
        int l = c.awaitLeader();
        for (int i = 0; i < 10; i++) done(c.call(l, put("k" + i, "v".repeat(100))));
        assertThat(c.disks.get(l).load().snapshot()).as("no snapshot before 4000 bytes").isNull();
        for (int i = 0; i < 40; i++) done(c.call(l, put("k" + i, "v".repeat(100))));
        assertThat(c.disks.get(l).load().snapshot()).as("a snapshot once 4000 bytes were applied").isNotNull();
    }
}
