package raftkv.kv;

/**
 * Size limits, enforced for client input by {@link KvValidator} and again when decoding, so a
 * committed entry from any source is held to the same bounds. Changing them is a protocol change:
 * every replica must agree.
 */
public final class KvLimits {
    /** Largest key: 64 KiB. Keys are held in memory in the sorted map and in every snapshot. */
    public static final int MAX_KEY_BYTES = 64 * 1024;
    /** Largest value: 1 MiB. */
    public static final int MAX_VALUE_BYTES = 1024 * 1024;
    /** Most operations in one {@link KvCommand.Batch}. */
    public static final int MAX_BATCH_OPS = 1024;
    /** Largest encoded command (one Raft log entry): 4 MiB, which bounds a batch's total size. */
    public static final int MAX_COMMAND_BYTES = 4 * 1024 * 1024;
    /** Longest reason text in a {@link KvResult.Rejected}; longer reasons are cut. */
    public static final int MAX_REASON_CHARS = 1024;

    private KvLimits() {
    }
}
