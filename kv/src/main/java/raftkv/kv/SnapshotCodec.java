package raftkv.kv;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * Writes and reads the whole state machine (layout in kv/COMMANDS.md). Everything is written in
 * sorted order, so equal states give equal bytes; a CRC32C over the content ends the file.
 */
final class SnapshotCodec {
    static final byte[] MAGIC = {'R', 'K', 'V', 'S'};
    static final int VERSION = 1;
    private static final int FLUSH_AT = 64 * 1024;

    private SnapshotCodec() {
    }

    static void write(KvStateMachine sm, OutputStream out) throws IOException {
        CheckedOutputStream checked = new CheckedOutputStream(out, new CRC32C());
        ByteWriter w = new ByteWriter(FLUSH_AT + 1024);
        w.raw(MAGIC);
        w.u8(VERSION);
        KvConfig config = sm.config();
        w.varlong(config.sessionTtlMillis());
        w.varlong(config.maxSessions());
        w.varlong(config.maxRepliesPerSession());
        w.varlong(sm.appliedIndex());
        w.varlong(sm.sessions().clock());
        w.varlong(sm.store().size());
        for (Map.Entry<Bytes, Bytes> e : sm.store().view().entrySet()) {
            w.bytes(e.getKey().unsafeArray());
            w.bytes(e.getValue().unsafeArray());
            if (w.size() >= FLUSH_AT) {
                w.drainTo(checked);
            }
        }
        w.varlong(sm.sessions().size());
        for (ClientSession s : sm.sessions().sessionsById()) {
            w.varlong(s.clientId);
            w.varlong(s.lastActiveIndex);
            w.varlong(s.lastActiveTime);
            w.varlong(s.ackedBelow);
            w.varlong(s.replies().size());
            for (Map.Entry<Long, KvResult> r : s.replies().entrySet()) {
                w.varlong(r.getKey());
                w.bytes(KvCodec.encode(r.getValue()));
            }
            if (w.size() >= FLUSH_AT) {
                w.drainTo(checked);
            }
        }
        w.drainTo(checked);
        w.u32((int) checked.getChecksum().getValue());
        w.drainTo(out);
        out.flush();
    }

    static KvStateMachine read(byte[] data) {
        if (data == null) {
            throw new CorruptSnapshotException("corrupt snapshot: null");
        }
        if (data.length < MAGIC.length + 1 + 4) {
            throw new CorruptSnapshotException("corrupt snapshot: only " + data.length + " bytes");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (data[i] != MAGIC[i]) {
                throw new CorruptSnapshotException("corrupt snapshot: bad magic, not a raftkv kv snapshot");
            }
        }
        int version = data[MAGIC.length] & 0xFF;
        if (version != VERSION) {
            throw new CorruptSnapshotException("unsupported snapshot version " + version
                    + " (this build reads version " + VERSION + ")");
        }
        int bodyEnd = data.length - 4;
        CRC32C crc = new CRC32C();
        crc.update(data, 0, bodyEnd);
        int stored = new ByteReader(data, bodyEnd, data.length, "snapshot").u32("checksum");
        if ((int) crc.getValue() != stored) {
            throw new CorruptSnapshotException(String.format(
                    "corrupt snapshot: CRC32C mismatch (stored %08x, computed %08x) over %d bytes",
                    stored, (int) crc.getValue(), bodyEnd));
        }
        try {
            return readBody(new ByteReader(data, MAGIC.length + 1, bodyEnd, "snapshot"));
        } catch (IllegalArgumentException | IllegalStateException e) { // includes MalformedCommandException
            throw new CorruptSnapshotException("corrupt snapshot: " + e.getMessage(), e);
        }
    }

    private static KvStateMachine readBody(ByteReader r) {
        KvConfig config = new KvConfig(r.nonNegative("session TTL"),
                r.count("max sessions", Integer.MAX_VALUE, 0),
                r.count("max replies per session", Integer.MAX_VALUE, 0));
        long applied = r.nonNegative("applied index");
        long clock = r.nonNegative("clock");
        KvStateMachine sm = new KvStateMachine(config, applied);
        sm.sessions().restoreClock(clock);

        int entries = r.count("entry count", Integer.MAX_VALUE, 2);
        Bytes previous = null;
        for (int i = 0; i < entries; i++) {
            Bytes key = Bytes.wrap(r.bytes("key", KvLimits.MAX_KEY_BYTES));
            Bytes value = Bytes.wrap(r.bytes("value", KvLimits.MAX_VALUE_BYTES));
            if (previous != null && previous.compareTo(key) >= 0) {
                throw r.error("keys out of order at entry " + i);
            }
            sm.store().put(key, value);
            previous = key;
        }

        int sessions = r.count("session count", Integer.MAX_VALUE, 5);
        long previousId = 0;
        for (int i = 0; i < sessions; i++) {
            ClientSession s = new ClientSession(r.nonNegative("client id"), r.nonNegative("last active index"),
                    r.nonNegative("last active time"), r.nonNegative("ackedBelow"));
            if (s.clientId <= previousId || s.clientId > s.lastActiveIndex || s.lastActiveIndex > applied
                    || s.lastActiveTime > clock) {
                throw r.error("inconsistent session " + s.clientId);
            }
            previousId = s.clientId;
            int replies = r.count("reply count", config.maxRepliesPerSession(), 2);
            long previousSeq = -1;
            for (int j = 0; j < replies; j++) {
                long seq = r.nonNegative("sequence");
                if (seq <= previousSeq || seq < s.ackedBelow) {
                    throw r.error("reply sequence " + seq + " out of order in session " + s.clientId);
                }
                previousSeq = seq;
                s.cacheReply(seq, KvCodec.decodeResult(r.bytes("reply", Integer.MAX_VALUE)));
            }
            sm.sessions().add(s);
        }
        r.expectEnd();
        return sm;
    }
}
