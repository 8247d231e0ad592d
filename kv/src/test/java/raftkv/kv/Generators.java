package raftkv.kv;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import raftkv.kv.KvCommand.KeyOp;
import raftkv.kv.KvCommand.KvOp;

/** jqwik generators for commands and results; small key space so operations collide. */
final class Generators {
    private Generators() {
    }

    static Arbitrary<Bytes> keys() {
        return Arbitraries.oneOf(
                Arbitraries.of("a", "b", "c", "k1", "k2", "").map(Bytes::utf8),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(20).map(Bytes::of));
    }

    static Arbitrary<Bytes> values() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(Bytes::of);
    }

    static Arbitrary<KeyOp> keyOps() {
        return Arbitraries.oneOf(
                Combinators.combine(keys(), values()).as(KvCommand.Put::new),
                keys().map(KvCommand.Get::new),
                keys().map(KvCommand.Delete::new),
                Combinators.combine(keys(), values().injectNull(0.3), values().injectNull(0.3))
                        .as(KvCommand.CompareAndSet::new));
    }

    static Arbitrary<KvOp> ops() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, keyOps().map(k -> (KvOp) k)),
                net.jqwik.api.Tuple.of(1, keyOps().list().ofMaxSize(6).map(l -> (KvOp) new KvCommand.Batch(l))));
    }

    static Arbitrary<Long> smallLongs() {
        return Arbitraries.longs().between(0, 1_000_000_000_000L);
    }

    static Arbitrary<KvCommand> commands() {
        Arbitrary<KvCommand> session = Combinators.combine(
                        Arbitraries.longs().between(1, Long.MAX_VALUE), Arbitraries.longs().between(0, Long.MAX_VALUE),
                        Arbitraries.doubles().between(0, 1), smallLongs(), ops())
                .as((id, seq, f, t, op) -> new KvCommand.SessionRequest(id, seq, Math.min(seq, (long) (seq * f)), t, op));
        return Arbitraries.oneOf(
                ops().map(o -> (KvCommand) o),
                smallLongs().map(KvCommand.RegisterClient::new),
                Combinators.combine(Arbitraries.longs().between(1, Long.MAX_VALUE), smallLongs())
                        .as(KvCommand.UnregisterClient::new),
                session);
    }

    static Arbitrary<KvResult> simpleResults() {
        return Arbitraries.oneOf(
                Arbitraries.just(KvResult.OK),
                values().injectNull(0.3).map(KvResult.Value::new),
                Combinators.combine(Arbitraries.of(true, false), values().injectNull(0.3)).as(KvResult.CasResult::new),
                smallLongs().map(KvResult.Registered::new),
                smallLongs().map(KvResult.SessionExpired::new),
                Combinators.combine(smallLongs(), smallLongs()).as(KvResult.StaleRequest::new),
                Arbitraries.strings().ofMaxLength(50).map(KvResult.Rejected::new),
                Combinators.combine(smallLongs(), smallLongs()).as(KvResult.AlreadyApplied::new));
    }

    static Arbitrary<KvResult> results() {
        return Arbitraries.oneOf(simpleResults(),
                simpleResults().list().ofMaxSize(5).map(l -> (KvResult) new KvResult.BatchResult(l)));
    }

    /** A command a live client could send, for state-machine runs: ids and sequences are small. */
    static Arbitrary<KvCommand> workload() {
        Arbitrary<KvCommand> session = Combinators.combine(
                        Arbitraries.longs().between(1, 12), Arbitraries.longs().between(0, 8),
                        Arbitraries.longs().between(0, 8), Arbitraries.longs().between(0, 2_000_000), ops())
                .as((id, seq, ack, t, op) -> new KvCommand.SessionRequest(id, seq, Math.min(ack, seq), t, op));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, ops().map(o -> (KvCommand) o)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(0, 2_000_000).map(KvCommand.RegisterClient::new)),
                net.jqwik.api.Tuple.of(5, session));
    }
}
