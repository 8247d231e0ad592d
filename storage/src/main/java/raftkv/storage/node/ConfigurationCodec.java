package raftkv.storage.node;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.TreeSet;

import raftkv.raft.Configuration;

/**
 * The cluster membership as the opaque configuration blob of a stored snapshot. Format (big
 * endian): {@code [version:byte = 1][voterCount:int][voter:int]...[learnerCount:int][learner:int]...},
 * ids in ascending order. Small on purpose: it is read back only on recovery.
 */
public final class ConfigurationCodec {

    private static final byte VERSION = 1;
    /** More members than this is damage, not a cluster (keeps a bad count from allocating much). */
    private static final int MAX_MEMBERS = 1 << 16;

    private ConfigurationCodec() {
    }

    public static byte[] encode(Configuration conf) {
        Set<Integer> voters = new TreeSet<>(conf.voters());
        Set<Integer> learners = new TreeSet<>(conf.learners());
        ByteBuffer b = ByteBuffer.allocate(1 + 4 + 4 * voters.size() + 4 + 4 * learners.size());
        b.put(VERSION);
        b.putInt(voters.size());
        for (int v : voters) b.putInt(v);
        b.putInt(learners.size());
        for (int l : learners) b.putInt(l);
        return b.array();
    }

    /** @throws IllegalArgumentException with a description of what is wrong, if the blob is damaged */
    public static Configuration decode(byte[] blob) {
        ByteBuffer b = ByteBuffer.wrap(blob);
        try {
            byte version = b.get();
            if (version != VERSION) throw new IllegalArgumentException("unknown configuration format version " + version);
            Set<Integer> voters = readIds(b, "voter");
            Set<Integer> learners = readIds(b, "learner");
            if (b.hasRemaining()) throw new IllegalArgumentException(b.remaining() + " unexpected bytes after the configuration");
            return new Configuration(voters, learners);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("configuration blob of " + blob.length + " bytes is truncated");
        }
    }

    private static Set<Integer> readIds(ByteBuffer b, String what) {
        int count = b.getInt();
        if (count < 0 || count > MAX_MEMBERS) throw new IllegalArgumentException("implausible " + what + " count " + count);
        Set<Integer> ids = new TreeSet<>();
        for (int i = 0; i < count; i++) {
            if (!ids.add(b.getInt())) throw new IllegalArgumentException("duplicate " + what + " id");
        }
        return ids;
    }
}
