package raftkv.cs3700;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The replica's one connection to the course simulator: generation A speaks UDP datagrams (one
 * JSON object each), generation B a unix stream socket (JSON objects, one per line). Until
 * {@link #attach attached} to a loop the channel blocks (for the first message: A's hello); from
 * then on the loop reads it and every send happens on the loop.
 */
interface SimulatorLink {
    /** Sends one compact JSON object (no raw newlines). Once attached: on the loop only. */
    void send(String json) throws IOException;

    /**
     * From now on {@code loop} reads the channel and hands each message's JSON text to {@code
     * onMessage}; {@code onClosed} runs once if the simulator's end goes away. Call on the loop.
     */
    void attach(SelectorLoop loop, Consumer<String> onMessage, Runnable onClosed) throws IOException;

    static SimulatorLink udp(int port) throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        ch.connect(new InetSocketAddress("127.0.0.1", port));
        return new ChannelLink(ch) {
            private final ByteBuffer in = ByteBuffer.allocate(65_536);

            @Override
            ByteBuffer frame(String json) {
                return ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8));
            }

            @Override
            boolean readAvailable(Consumer<String> onMessage) throws IOException {
                while (true) {
                    in.clear();
                    if (ch.receive(in) == null) return true;
                    in.flip();
                    onMessage.accept(StandardCharsets.UTF_8.decode(in).toString());
                }
            }
        };
    }

    static SimulatorLink unix(Path socketFile) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socketFile));
        return new ChannelLink(ch) {
            private final ByteBuffer in = ByteBuffer.allocate(1 << 16);
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            ByteBuffer frame(String json) {
                return ByteBuffer.wrap((json + "\n").getBytes(StandardCharsets.UTF_8));
            }

            @Override
            boolean readAvailable(Consumer<String> onMessage) throws IOException {
                while (true) {
                    in.clear();
                    int n = ch.read(in);
                    if (n < 0) return false;
                    if (n == 0) return true;
                    in.flip();
                    while (in.hasRemaining()) {
                        byte b = in.get();
                        if (b != '\n') {
                            line.write(b);
                        } else {
                            if (line.size() > 0) onMessage.accept(line.toString(StandardCharsets.UTF_8));
                            line.reset();
                        }
                    }
                }
            }
        };
    }

    /** What both generations share: a blocking channel until attached, then reads and writes on the loop. */
    abstract class ChannelLink implements SimulatorLink {
        private final ByteChannel channel;
        private Outbox<ByteBuffer> outbox;
        private SelectionKey key;
        private IOException writeFailed;

        ChannelLink(ByteChannel channel) {
            this.channel = channel;
        }

        /** One message as the simulator expects it on the wire. */
        abstract ByteBuffer frame(String json);

        /** Reads every whole message available now; false once the simulator's end is closed. */
        abstract boolean readAvailable(Consumer<String> onMessage) throws IOException;

        @Override
        public void send(String json) throws IOException {
            ByteBuffer b = frame(json);
            if (outbox == null) {
                while (b.hasRemaining()) channel.write(b);
                return;
            }
            Outbox.wantWrite(key, !outbox.send(b));
            if (writeFailed != null) throw writeFailed;
        }

        /** One non-blocking write: done when all of it went, or when the socket failed (reported by send). */
        private boolean tryWrite(ByteBuffer b) {
            try {
                channel.write(b);
            } catch (IOException e) {
                writeFailed = e;
                return true;
            }
            return !b.hasRemaining();
        }

        @Override
        public void attach(SelectorLoop loop, Consumer<String> onMessage, Runnable onClosed) throws IOException {
            key = loop.register((SelectableChannel) channel, SelectionKey.OP_READ, k -> {
                try {
                    if (k.isWritable()) Outbox.wantWrite(k, !outbox.flush());
                    if (writeFailed != null) throw writeFailed;
                    if (k.isReadable() && !readAvailable(onMessage)) close(k, onClosed, "the simulator closed the connection");
                } catch (IOException e) {
                    close(k, onClosed, e.toString());
                }
            });
            outbox = new Outbox<>(this::tryWrite);
        }

        private static void close(SelectionKey k, Runnable onClosed, String why) {
            if (!k.isValid()) return;
            k.cancel();
            System.err.println("simulator link closed: " + why);
            onClosed.run();
        }
    }
}
