package raftkv.cs3700;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The replica's one connection to the course simulator: generation A speaks UDP datagrams (one
 * JSON object each), generation B a unix stream socket (JSON objects, one per line).
 */
interface SimulatorLink {
    /** Sends one compact JSON object (no raw newlines). Thread-safe. */
    void send(String json) throws IOException;

    /** Reads messages forever on the calling thread, handing each JSON text to {@code onMessage}. */
    void receiveForever(Consumer<String> onMessage) throws IOException;

    static SimulatorLink udp(int port) throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        ch.connect(new InetSocketAddress("127.0.0.1", port));
        return new SimulatorLink() {
            @Override
            public void send(String json) throws IOException {
                ch.write(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
            }

            @Override
            public void receiveForever(Consumer<String> onMessage) throws IOException {
                ByteBuffer buf = ByteBuffer.allocate(65_536);
                while (true) {
                    buf.clear();
                    ch.receive(buf);
                    buf.flip();
                    onMessage.accept(StandardCharsets.UTF_8.decode(buf).toString());
                }
            }
        };
    }

    static SimulatorLink unix(Path socketFile) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socketFile));
        return new SimulatorLink() {
            @Override
            public synchronized void send(String json) throws IOException {
                ByteBuffer b = ByteBuffer.wrap((json + "\n").getBytes(StandardCharsets.UTF_8));
                while (b.hasRemaining()) ch.write(b);
            }

            @Override
            public void receiveForever(Consumer<String> onMessage) throws IOException {
                ByteBuffer buf = ByteBuffer.allocate(1 << 16);
                java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
                while (ch.read(buf) >= 0) {
                    buf.flip();
                    while (buf.hasRemaining()) {
                        byte b = buf.get();
                        if (b == '\n') {
                            if (line.size() > 0) onMessage.accept(line.toString(StandardCharsets.UTF_8));
                            line.reset();
                        } else {
                            line.write(b);
                        }
                    }
                    buf.clear();
                }
            }
        };
    }
}
