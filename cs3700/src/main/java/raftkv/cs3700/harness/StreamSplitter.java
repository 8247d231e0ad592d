package raftkv.cs3700.harness;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Generation B framing: the byte stream from a replica is split on the two bytes {@code }\n};
 * each message keeps its closing brace and loses the newline. Partial messages are buffered
 * until the rest arrives.
 */
final class StreamSplitter {
    /** A replica that streams this much without a terminator is sending garbage; drop it. */
    static final int MAX_PENDING = 16 * 1024 * 1024;

    private byte[] pending = new byte[4096];
    private int length;
    private boolean overflowed;

    /** Adds {@code count} bytes and returns every message they complete, in order. */
    List<byte[]> feed(byte[] bytes, int count) {
        if (length + count > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, length + count));
        }
        System.arraycopy(bytes, 0, pending, length, count);
        int searchFrom = Math.max(0, length - 1);
        length += count;
        List<byte[]> messages = new ArrayList<>();
        int start = 0;
        for (int i = searchFrom; i + 1 < length; i++) {
            if (pending[i] == '}' && pending[i + 1] == '\n') {
                messages.add(Arrays.copyOfRange(pending, start, i + 1));
                start = i + 2;
                i++;
            }
        }
        System.arraycopy(pending, start, pending, 0, length - start);
        length -= start;
        if (length > MAX_PENDING) {
            length = 0;
            overflowed = true;
        }
        return messages;
    }

    /** True once an over-long unterminated message was thrown away (reported by the caller). */
    boolean takeOverflow() {
        boolean was = overflowed;
        overflowed = false;
        return was;
    }

    /** Bytes buffered but not yet terminated. */
    int pendingBytes() {
        return length;
    }
}
