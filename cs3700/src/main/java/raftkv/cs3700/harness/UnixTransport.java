package raftkv.cs3700.harness;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Generation B: one AF_UNIX stream server socket per replica, a file named after its ID in the
 * working directory. The replica connects to it; messages go both ways as compact JSON followed
 * by {@code \n}. Each connection has its own reader thread and writer thread, so a replica that
 * stops reading can never block the simulation thread.
 */
final class UnixTransport implements ReplicaTransport {
    private static final byte[] POISON = new byte[0];

    private final BlockingQueue<SimEvent> sink;
    private final List<ServerSocketChannel> servers = new ArrayList<>();
    private final Map<String, SocketChannel> connections = new ConcurrentHashMap<>();
    private final Map<String, BlockingQueue<byte[]>> outboxes = new ConcurrentHashMap<>();
    private volatile boolean closed;

    UnixTransport(Path workDir, List<String> replicas, BlockingQueue<SimEvent> sink) throws IOException {
        this.sink = sink;
        for (String id : replicas) {
            Path file = workDir.resolve(id);
            Files.deleteIfExists(file);
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(file));
            servers.add(server);
            Thread.ofPlatform().daemon().name("cs3700-accept-" + id).start(() -> acceptLoop(id, server));
        }
    }

    @Override
    public List<String> argv(String myId, List<String> peers) {
        return UdpTransport.concat(List.of(myId), peers);
    }

    @Override
    public boolean ready(String replica) {
        return connections.containsKey(replica);
    }

    @Override
    public void send(String replica, byte[] json) {
        BlockingQueue<byte[]> outbox = outboxes.get(replica);
        if (outbox == null) return;
        byte[] framed = new byte[json.length + 1];
        System.arraycopy(json, 0, framed, 0, json.length);
        framed[json.length] = '\n';
        outbox.add(framed);
    }

    private void acceptLoop(String id, ServerSocketChannel server) {
        while (!closed) {
            try {
                SocketChannel connection = server.accept();
                SocketChannel previous = connections.put(id, connection);
                if (previous != null) {
                    sink.add(new SimEvent.TransportNote(id, "connected again; the newer connection is used"));
                    previous.close();
                }
                BlockingQueue<byte[]> outbox = new LinkedBlockingQueue<>();
                BlockingQueue<byte[]> old = outboxes.put(id, outbox);
                if (old != null) old.add(POISON);
                Thread.ofPlatform().daemon().name("cs3700-read-" + id).start(() -> readLoop(id, connection));
                Thread.ofPlatform().daemon().name("cs3700-write-" + id).start(() -> writeLoop(id, connection, outbox));
            } catch (IOException e) {
                return; // server closed
            }
        }
    }

    private void readLoop(String id, SocketChannel connection) {
        StreamSplitter splitter = new StreamSplitter();
        ByteBuffer buffer = ByteBuffer.allocate(65536);
        try {
            while (true) {
                buffer.clear();
                int n = connection.read(buffer);
                if (n < 0) break;
                for (byte[] message : splitter.feed(buffer.array(), n)) {
                    sink.add(new SimEvent.FromReplica(id, message));
                }
                if (splitter.takeOverflow()) {
                    sink.add(new SimEvent.TransportNote(id, "over " + StreamSplitter.MAX_PENDING + " bytes without '}\\n'; discarded"));
                }
            }
        } catch (IOException e) {
            if (!closed) sink.add(new SimEvent.TransportNote(id, "read failed: " + e.getMessage()));
        }
        if (!closed && splitter.pendingBytes() > 0) {
            sink.add(new SimEvent.TransportNote(id, splitter.pendingBytes() + " unterminated bytes at end of stream discarded"));
        }
    }

    private void writeLoop(String id, SocketChannel connection, BlockingQueue<byte[]> outbox) {
        try {
            while (true) {
                byte[] next = outbox.take();
                if (next == POISON) return;
                ByteBuffer buffer = ByteBuffer.wrap(next);
                while (buffer.hasRemaining()) connection.write(buffer);
            }
        } catch (IOException e) {
            // The replica is gone (killed or crashed); the process monitor reports that.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        for (BlockingQueue<byte[]> outbox : outboxes.values()) outbox.add(POISON);
        for (ServerSocketChannel server : servers) closeQuietly(server);
        for (SocketChannel connection : connections.values()) closeQuietly(connection);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing at the end of a run
        }
    }
}
