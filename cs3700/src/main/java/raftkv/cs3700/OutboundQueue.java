package raftkv.cs3700;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayDeque;

/**
 * Writes to a non-blocking channel without losing or reordering anything: what the socket cannot
 * take now (a full send buffer; for a stream, the rest of a partial write) waits here, in order,
 * until the selector says the channel is writable again. A datagram is written whole or not at
 * all, so the same rule serves UDP and streams. Loop thread only.
 */
final class OutboundQueue {
    private final WritableByteChannel channel;
    private final ArrayDeque<ByteBuffer> waiting = new ArrayDeque<>();
    private SelectionKey key;

    OutboundQueue(WritableByteChannel channel) {
        this.channel = channel;
    }

    /** The channel's selection key: while something waits, it asks for OP_WRITE too. */
    void watch(SelectionKey key) {
        this.key = key;
    }

    void send(ByteBuffer message) throws IOException {
        if (waiting.isEmpty()) {
            channel.write(message);
            if (!message.hasRemaining()) return;
        }
        waiting.add(message);
        if (key != null) key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
    }

    /** The channel became writable: send what waits, as far as it takes it. */
    void flush() throws IOException {
        while (!waiting.isEmpty()) {
            ByteBuffer next = waiting.peek();
            channel.write(next);
            if (next.hasRemaining()) return;
            waiting.poll();
        }
        if (key != null) key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
    }

    int waiting() {
        return waiting.size();
    }
}
