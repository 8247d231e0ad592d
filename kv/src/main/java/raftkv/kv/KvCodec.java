package raftkv.kv;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import raftkv.kv.KvCommand.Batch;
import raftkv.kv.KvCommand.CompareAndSet;
import raftkv.kv.KvCommand.Delete;
import raftkv.kv.KvCommand.Get;
import raftkv.kv.KvCommand.KeyOp;
import raftkv.kv.KvCommand.KvOp;
import raftkv.kv.KvCommand.Put;
import raftkv.kv.KvCommand.RegisterClient;
import raftkv.kv.KvCommand.SessionRequest;
import raftkv.kv.KvCommand.UnregisterClient;

/**
 * The compact binary encoding of commands and results (layout in kv/COMMANDS.md). Each value
 * encodes to exactly one byte string and the decoders accept only that string (canonical
 * varints, no trailing bytes), so replicas and snapshots stay byte-identical.
 *
 * <p>Decoders throw only {@link MalformedCommandException}, for any input whatsoever.
 */
public final class KvCodec {
    /** Format version, the first byte of every encoded command and result. */
    public static final int VERSION = 1;

    static final int PUT = 0x01, GET = 0x02, DELETE = 0x03, CAS = 0x04, BATCH = 0x05;
    static final int REGISTER = 0x10, UNREGISTER = 0x11, SESSION = 0x12;

    static final int R_OK = 0x01, R_VALUE = 0x02, R_CAS = 0x03, R_BATCH = 0x04, R_REGISTERED = 0x05,
            R_EXPIRED = 0x06, R_STALE = 0x07, R_REJECTED = 0x08, R_ALREADY_APPLIED = 0x09;

    private static final int MAX_REASON_BYTES = KvLimits.MAX_REASON_CHARS * 3;

    private KvCodec() {
    }

    // ---- commands ----

    public static byte[] encode(KvCommand command) {
        ByteWriter w = new ByteWriter(encodedSize(command));
        w.u8(VERSION);
        writeCommand(w, command);
        return w.toByteArray();
    }

    /** Decodes and validates one command; the input must be exactly one encoded command. */
    public static KvCommand decodeCommand(byte[] data) {
        if (data == null) {
            throw new MalformedCommandException("malformed command: null");
        }
        if (data.length > KvLimits.MAX_COMMAND_BYTES) {
            throw new MalformedCommandException("malformed command: " + data.length
                    + " bytes, over the limit of " + KvLimits.MAX_COMMAND_BYTES);
        }
        ByteReader r = new ByteReader(data, "command");
        version(r);
        KvCommand c = readCommand(r);
        r.expectEnd();
        String problem = KvValidator.problem(c);
        if (problem != null) {
            throw new MalformedCommandException("invalid command: " + problem);
        }
        return c;
    }

    /** The length of {@link #encode(KvCommand)}'s output, computed without encoding. */
    public static int encodedSize(KvCommand command) {
        long n = 1 + commandSize(command);
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    private static void writeCommand(ByteWriter w, KvCommand c) {
        switch (c) {
            case KvOp op -> writeOp(w, op);
            case RegisterClient r -> {
                w.u8(REGISTER);
                w.varlong(r.leaderTimeMillis());
            }
            case UnregisterClient u -> {
                w.u8(UNREGISTER);
                w.varlong(u.clientId());
                w.varlong(u.leaderTimeMillis());
            }
            case SessionRequest s -> {
                w.u8(SESSION);
                w.varlong(s.clientId());
                w.varlong(s.sequence());
                w.varlong(s.ackedBelow());
                w.varlong(s.leaderTimeMillis());
                writeOp(w, s.op());
            }
        }
    }

    private static void writeOp(ByteWriter w, KvOp op) {
        switch (op) {
            case Put p -> {
                w.u8(PUT);
                w.bytes(p.key().unsafeArray());
                w.bytes(p.value().unsafeArray());
            }
            case Get g -> {
                w.u8(GET);
                w.bytes(g.key().unsafeArray());
            }
            case Delete d -> {
                w.u8(DELETE);
                w.bytes(d.key().unsafeArray());
            }
            case CompareAndSet c -> {
                w.u8(CAS);
                w.bytes(c.key().unsafeArray());
                w.optBytes(c.expected());
                w.optBytes(c.newValue());
            }
            case Batch b -> {
                w.u8(BATCH);
                w.varlong(b.ops().size());
                for (KeyOp k : b.ops()) {
                    writeOp(w, k);
                }
            }
        }
    }

    private static long commandSize(KvCommand c) {
        return switch (c) {
            case KvOp op -> opSize(op);
            case RegisterClient r -> 1 + ByteWriter.varlongSize(r.leaderTimeMillis());
            case UnregisterClient u -> 1 + ByteWriter.varlongSize(u.clientId())
                    + ByteWriter.varlongSize(u.leaderTimeMillis());
            case SessionRequest s -> 1 + ByteWriter.varlongSize(s.clientId())
                    + ByteWriter.varlongSize(s.sequence()) + ByteWriter.varlongSize(s.ackedBelow())
                    + ByteWriter.varlongSize(s.leaderTimeMillis()) + opSize(s.op());
        };
    }

    private static long opSize(KvOp op) {
        return switch (op) {
            case Put p -> 1 + ByteWriter.bytesSize(p.key()) + ByteWriter.bytesSize(p.value());
            case Get g -> 1 + ByteWriter.bytesSize(g.key());
            case Delete d -> 1 + ByteWriter.bytesSize(d.key());
            case CompareAndSet c -> 1 + ByteWriter.bytesSize(c.key())
                    + ByteWriter.optBytesSize(c.expected()) + ByteWriter.optBytesSize(c.newValue());
            case Batch b -> {
                long n = 1 + ByteWriter.varlongSize(b.ops().size());
                for (KeyOp k : b.ops()) {
                    n += opSize(k);
                }
                yield n;
            }
        };
    }

    private static KvCommand readCommand(ByteReader r) {
        int tag = r.u8("command tag");
        return switch (tag) {
            case REGISTER -> new RegisterClient(r.nonNegative("leader time"));
            case UNREGISTER -> new UnregisterClient(r.nonNegative("client id"), r.nonNegative("leader time"));
            case SESSION -> new SessionRequest(r.nonNegative("client id"), r.nonNegative("sequence"),
                    r.nonNegative("ackedBelow"), r.nonNegative("leader time"),
                    readOp(r, r.u8("operation tag"), true));
            default -> readOp(r, tag, true);
        };
    }

    private static KvOp readOp(ByteReader r, int tag, boolean batchAllowed) {
        return switch (tag) {
            case PUT -> new Put(key(r), Bytes.wrap(r.bytes("value", KvLimits.MAX_VALUE_BYTES)));
            case GET -> new Get(key(r));
            case DELETE -> new Delete(key(r));
            case CAS -> new CompareAndSet(key(r), r.optBytes("expected value", KvLimits.MAX_VALUE_BYTES),
                    r.optBytes("new value", KvLimits.MAX_VALUE_BYTES));
            case BATCH -> {
                if (!batchAllowed) {
                    throw r.error("a batch may not contain a batch");
                }
                int n = r.count("batch size", KvLimits.MAX_BATCH_OPS, 2);
                List<KeyOp> ops = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    ops.add((KeyOp) readOp(r, r.u8("batch operation tag"), false));
                }
                yield new Batch(ops);
            }
            default -> throw r.error("unknown operation tag 0x" + Integer.toHexString(tag));
        };
    }

    private static Bytes key(ByteReader r) {
        return Bytes.wrap(r.bytes("key", KvLimits.MAX_KEY_BYTES));
    }

    private static void version(ByteReader r) {
        int v = r.u8("version byte");
        if (v != VERSION) {
            throw r.error("unsupported version " + v + " (this build reads version " + VERSION + ")");
        }
    }

    // ---- results ----

    public static byte[] encode(KvResult result) {
        ByteWriter w = new ByteWriter(64);
        w.u8(VERSION);
        writeResult(w, result, true);
        return w.toByteArray();
    }

    /** Decodes one result; the input must be exactly one encoded result. */
    public static KvResult decodeResult(byte[] data) {
        if (data == null) {
            throw new MalformedCommandException("malformed result: null");
        }
        ByteReader r = new ByteReader(data, "result");
        version(r);
        KvResult result = readResult(r, true);
        r.expectEnd();
        return result;
    }

    private static void writeResult(ByteWriter w, KvResult result, boolean batchAllowed) {
        switch (result) {
            case KvResult.Ok ok -> w.u8(R_OK);
            case KvResult.Value v -> {
                w.u8(R_VALUE);
                w.optBytes(v.value());
            }
            case KvResult.CasResult c -> {
                w.u8(R_CAS);
                w.u8(c.swapped() ? 1 : 0);
                w.optBytes(c.current());
            }
            case KvResult.BatchResult b -> {
                if (!batchAllowed) {
                    throw new IllegalArgumentException("a batch result may not contain a batch result");
                }
                w.u8(R_BATCH);
                w.varlong(b.results().size());
                for (KvResult each : b.results()) {
                    writeResult(w, each, false);
                }
            }
            case KvResult.Registered reg -> {
                w.u8(R_REGISTERED);
                w.varlong(reg.clientId());
            }
            case KvResult.SessionExpired e -> {
                w.u8(R_EXPIRED);
                w.varlong(e.clientId());
            }
            case KvResult.StaleRequest s -> {
                w.u8(R_STALE);
                w.varlong(s.clientId());
                w.varlong(s.sequence());
            }
            case KvResult.Rejected rej -> {
                w.u8(R_REJECTED);
                w.bytes(rej.reason().getBytes(StandardCharsets.UTF_8));
            }
            case KvResult.AlreadyApplied a -> {
                w.u8(R_ALREADY_APPLIED);
                w.varlong(a.index());
                w.varlong(a.appliedIndex());
            }
        }
    }

    private static KvResult readResult(ByteReader r, boolean batchAllowed) {
        int tag = r.u8("result tag");
        return switch (tag) {
            case R_OK -> KvResult.OK;
            case R_VALUE -> new KvResult.Value(r.optBytes("value", KvLimits.MAX_VALUE_BYTES));
            case R_CAS -> new KvResult.CasResult(r.bool("swapped flag"),
                    r.optBytes("current value", KvLimits.MAX_VALUE_BYTES));
            case R_BATCH -> {
                if (!batchAllowed) {
                    throw r.error("a batch result may not contain a batch result");
                }
                int n = r.count("batch result size", KvLimits.MAX_BATCH_OPS, 1);
                List<KvResult> results = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    results.add(readResult(r, false));
                }
                yield new KvResult.BatchResult(results);
            }
            case R_REGISTERED -> new KvResult.Registered(r.nonNegative("client id"));
            case R_EXPIRED -> new KvResult.SessionExpired(r.nonNegative("client id"));
            case R_STALE -> new KvResult.StaleRequest(r.nonNegative("client id"), r.nonNegative("sequence"));
            case R_REJECTED -> new KvResult.Rejected(utf8(r));
            case R_ALREADY_APPLIED -> new KvResult.AlreadyApplied(r.nonNegative("index"),
                    r.nonNegative("applied index"));
            default -> throw r.error("unknown result tag 0x" + Integer.toHexString(tag));
        };
    }

    private static String utf8(ByteReader r) {
        byte[] b = r.bytes("reason", MAX_REASON_BYTES);
        var decoder = StandardCharsets.UTF_8.newDecoder();
        try {
            return decoder.decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw r.error("reason is not valid UTF-8");
        }
    }
}
