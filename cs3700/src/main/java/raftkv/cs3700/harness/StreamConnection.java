package raftkv.cs3700.harness;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

import raftkv.cs3700.Outbox;

/**
 * Generation B: one replica's accepted AF_UNIX stream connection, served by the {@link EventLoop}.
 * Incoming bytes are split into messages on {@code }\n}; outgoing messages get their {@code \n}
 * and wait in an {@link Outbox} whatever the socket does not take at once, so a replica that stops
 * reading never blocks the simulation thread and never loses a message it is still sent.
 *
 * <p>The two directions end separately: end of stream or a read error stops reading (the replica
 * is still written to), a write error stops writing (what it still sent is still read).
 */
final class StreamConnection {
    private final String replica;
    private final SocketChannel channel;
    private final EventLoop loop;
    private final SelectionKey key;
    private final StreamSplitter splitter = new StreamSplitter();
    private final Outbox<ByteBuffer> outbox = new Outbox<>(this::tryWrite);
    private final ByteBuffer readBuffer = ByteBuffer.allocate(65536);
    private boolean writeFailed;

    StreamConnection(String replica, SocketChannel channel, EventLoop loop) throws IOException {
        this.replica = replica;
        this.channel = channel;
        this.loop = loop;
        this.key = loop.register(channel, SelectionKey.OP_READ, k -> ready());
    }

    /** Sends one JSON message (no terminator); queued behind anything the socket has not taken yet. */
    void send(byte[] json) {
        if (writeFailed) return;
        ByteBuffer framed = ByteBuffer.allocate(json.length + 1).put(json).put((byte) '\n').flip();
        Outbox.wantWrite(key, !outbox.send(framed));
    }

    private boolean tryWrite(ByteBuffer bytes) {
        if (writeFailed) return true; // drains the outbox once the replica is gone
        try {
            channel.write(bytes);
        } catch (IOException e) {
            writeFailed = true; // the replica is gone (killed or crashed): the process watcher reports that
            return true;
        }
        return !bytes.hasRemaining();
    }

    private void ready() {
        if (key.isWritable()) Outbox.wantWrite(key, !outbox.flush());
        if (key.isValid() && key.isReadable()) read();
    }

    /** One read per wakeup: the selector is level-triggered, so what is left makes it ready again. */
    private void read() {
        readBuffer.clear();
        int n;
        try {
            n = channel.read(readBuffer);
        } catch (IOException e) {
            note("read failed: " + e.getMessage());
            stopReading();
            return;
        }
        if (n < 0) {
            stopReading();
            return;
        }
        for (byte[] message : splitter.feed(readBuffer.array(), n)) {
            loop.emit(new SimEvent.FromReplica(replica, message));
        }
        if (splitter.takeOverflow()) {
            note("over " + StreamSplitter.MAX_PENDING + " bytes without '}\\n'; discarded");
        }
    }

    private void stopReading() {
        if (splitter.pendingBytes() > 0) note(splitter.pendingBytes() + " unterminated bytes at end of stream discarded");
        if (key.isValid()) key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
    }

    private void note(String what) {
        loop.emit(new SimEvent.TransportNote(replica, what));
    }

    void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing; nothing useful to do
        }
    }
}
