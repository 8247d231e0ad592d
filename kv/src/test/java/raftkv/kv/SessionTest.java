package raftkv.kv;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import raftkv.kv.KvCommand.CompareAndSet;
import raftkv.kv.KvCommand.Get;
import raftkv.kv.KvCommand.KvOp;
import raftkv.kv.KvCommand.Put;
import raftkv.kv.KvCommand.RegisterClient;
import raftkv.kv.KvCommand.SessionRequest;
import raftkv.kv.KvCommand.UnregisterClient;
import raftkv.kv.KvResult.CasResult;

class SessionTest {
    private static final long TTL = 60_000;
    private KvStateMachine sm = new KvStateMachine(new KvConfig(TTL, 3, 4));
    private long index;
    private long now = 1_000;

    private static Bytes b(String s) {
        return Bytes.utf8(s);
    }

    private long register() {
        KvResult r = sm.apply(++index, new RegisterClient(now));
        return ((KvResult.Registered) r).clientId();
    }

    private KvResult send(long client, long seq, long acked, KvOp op) {
        return sm.apply(++index, new SessionRequest(client, seq, acked, now, op));
    }

    private static CompareAndSet increment(String from, String to) {
        return new CompareAndSet(b("n"), from == null ? null : b(from), b(to));
    }

    @Test
    void registeringUsesTheLogIndexAsClientId() {
        index = 41;
        assertThat(register()).isEqualTo(42);
        assertThat(sm.hasSession(42)).isTrue();
    }

    @Test
    void retryIsAppliedOnceAndGetsTheOriginalAnswer() {
        long c = register();
        assertThat(send(c, 1, 0, increment(null, "1"))).isEqualTo(new CasResult(true, b("1")));
        // The retry would fail its CAS if applied again; it gets the cached success instead.
        assertThat(send(c, 1, 0, increment(null, "1"))).isEqualTo(new CasResult(true, b("1")));
        assertThat(sm.get(b("n"))).isEqualTo(b("1"));
        assertThat(send(c, 2, 0, increment("1", "2"))).isEqualTo(new CasResult(true, b("2")));
        assertThat(send(c, 1, 0, increment(null, "1"))).isEqualTo(new CasResult(true, b("1")));
        assertThat(sm.get(b("n"))).isEqualTo(b("2"));
    }

    @Test
    void duplicatesInterleavedWithOtherClients() {
        long a = register();
        long z = register();
        send(a, 1, 0, new Put(b("x"), b("a1")));
        send(z, 1, 0, new Put(b("x"), b("z1")));
        assertThat(send(a, 1, 0, new Put(b("x"), b("a1")))).isEqualTo(KvResult.OK);
        assertThat(sm.get(b("x"))).isEqualTo(b("z1")); // a's retry did not overwrite z's later write
        assertThat(send(z, 2, 1, new Get(b("x")))).isEqualTo(new KvResult.Value(b("z1")));
        send(a, 2, 1, new Put(b("x"), b("a2")));
        assertThat(send(z, 2, 1, new Get(b("x")))).isEqualTo(new KvResult.Value(b("z1"))); // cached read
    }

    @Test
    void acknowledgedRetryIsStale() {
        long c = register();
        send(c, 1, 0, new Put(b("k"), b("1")));
        send(c, 2, 2, new Put(b("k"), b("2"))); // acknowledges seq 1
        assertThat(send(c, 1, 0, new Put(b("k"), b("1")))).isEqualTo(new KvResult.StaleRequest(c, 1));
        assertThat(sm.get(b("k"))).isEqualTo(b("2"));
    }

    @Test
    void sequencesMayArriveOutOfOrder() {
        long c = register();
        send(c, 3, 0, new Put(b("c"), b("3")));
        send(c, 1, 0, new Put(b("a"), b("1")));
        assertThat(sm.get(b("a"))).isEqualTo(b("1"));
        assertThat(sm.get(b("c"))).isEqualTo(b("3"));
    }

    @Test
    void unknownSessionGetsSessionExpired() {
        assertThat(send(99, 1, 0, new Put(b("k"), b("v")))).isEqualTo(new KvResult.SessionExpired(99));
        assertThat(sm.get(b("k"))).isNull();
    }

    @Test
    void sessionExpiresAfterTtlOfLeaderTime() {
        long c = register();
        long other = register();
        now += TTL; // exactly the TTL: still alive
        assertThat(send(c, 1, 0, new Put(b("k"), b("1")))).isEqualTo(KvResult.OK);
        now += 1;
        assertThat(sm.apply(++index, new RegisterClient(now))).isInstanceOf(KvResult.Registered.class);
        assertThat(sm.hasSession(other)).isFalse(); // idle since 1000, clock now 61001
        assertThat(sm.hasSession(c)).isTrue();
        now += TTL + 1;
        assertThat(send(c, 2, 1, new Put(b("k"), b("2")))).isEqualTo(new KvResult.SessionExpired(c));
        assertThat(sm.get(b("k"))).isEqualTo(b("1"));
    }

    @Test
    void leaderClockNeverGoesBackwards() {
        long c = register();
        now = 1_000 + TTL + 5;
        register(); // clock moves forward; c is expired
        now = 1_000; // a new leader whose clock is behind cannot revive it
        assertThat(send(c, 1, 0, new Put(b("k"), b("v")))).isEqualTo(new KvResult.SessionExpired(c));
        assertThat(sm.leaderClockMillis()).isEqualTo(1_000 + TTL + 5);
    }

    @Test
    void capacityEvictsLeastRecentlyUsed() {
        long first = register();
        long second = register();
        long third = register();
        send(first, 1, 0, new Put(b("k"), b("v"))); // first is now the most recent
        long fourth = register(); // cap 3: evicts second
        assertThat(sm.hasSession(second)).isFalse();
        assertThat(sm.hasSession(first)).isTrue();
        assertThat(sm.hasSession(third)).isTrue();
        assertThat(sm.hasSession(fourth)).isTrue();
        assertThat(sm.sessionCount()).isEqualTo(3);
        assertThat(send(second, 1, 0, new Get(b("k")))).isEqualTo(new KvResult.SessionExpired(second));
    }

    @Test
    void tooManyUnacknowledgedRepliesAreRejectedUntilAcknowledged() {
        long c = register();
        for (int seq = 0; seq < 4; seq++) {
            assertThat(send(c, seq, 0, new Put(b("k" + seq), b("v")))).isEqualTo(KvResult.OK);
        }
        assertThat(send(c, 4, 0, new Put(b("k4"), b("v")))).isInstanceOf(KvResult.Rejected.class);
        assertThat(sm.get(b("k4"))).isNull();
        assertThat(send(c, 4, 2, new Put(b("k4"), b("v")))).isEqualTo(KvResult.OK);
        assertThat(sm.get(b("k4"))).isEqualTo(b("v"));
    }

    @Test
    void unregisterEndsTheSession() {
        long c = register();
        assertThat(sm.apply(++index, new UnregisterClient(c, now))).isEqualTo(KvResult.OK);
        assertThat(sm.apply(++index, new UnregisterClient(c, now))).isEqualTo(new KvResult.SessionExpired(c));
        assertThat(send(c, 1, 0, new Get(b("k")))).isEqualTo(new KvResult.SessionExpired(c));
    }

    @Test
    void invalidEnvelopeIsRejected() {
        long c = register();
        KvResult r = send(c, 1, 2, new Put(b("k"), b("v")));
        assertThat(r).isInstanceOf(KvResult.Rejected.class);
        assertThat(((KvResult.Rejected) r).reason()).contains("ackedBelow 2 is above sequence 1");
    }

    @Test
    void sessionsSurviveSnapshotWithTheirReplyCache() {
        long c = register();
        send(c, 1, 0, increment(null, "1"));
        sm = KvStateMachine.restore(sm.snapshot());
        assertThat(send(c, 1, 0, increment(null, "1"))).isEqualTo(new CasResult(true, b("1")));
        now += TTL + 1;
        assertThat(send(c, 2, 0, increment("1", "2"))).isEqualTo(new KvResult.SessionExpired(c));
    }
}
