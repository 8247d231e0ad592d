package raftkv.cs3700.harness;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Generation B: one AF_UNIX stream server socket per replica, a file named after its ID in the
 * working directory, served by the simulation thread's {@link EventLoop}. The replica connects to
 * it; each accepted connection is a {@link StreamConnection}. A replica that connects again
 * replaces its earlier connection.
 */
final class UnixTransport implements ReplicaTransport {
    private final EventLoop loop;
    private final List<ServerSocketChannel> servers = new ArrayList<>();
    private final Map<String, StreamConnection> connections = new HashMap<>();

    UnixTransport(Path workDir, List<String> replicas, EventLoop loop) throws IOException {
        this.loop = loop;
        for (String id : replicas) {
            Path file = workDir.resolve(id);
            Files.deleteIfExists(file);
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(file));
            servers.add(server);
            loop.register(server, SelectionKey.OP_ACCEPT, k -> accept(id, server));
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
        StreamConnection connection = connections.get(replica);
        if (connection != null) connection.send(json);
    }

    private void accept(String id, ServerSocketChannel server) {
        SocketChannel channel = null;
        StreamConnection connection;
        try {
            channel = server.accept();
            if (channel == null) return; // readiness was stale
            connection = new StreamConnection(id, channel, loop);
        } catch (IOException e) {
            if (channel != null) closeQuietly(channel);
            loop.emit(new SimEvent.TransportNote(id, "accept failed: " + e.getMessage()));
            return;
        }
        StreamConnection previous = connections.put(id, connection);
        if (previous != null) {
            loop.emit(new SimEvent.TransportNote(id, "connected again; the newer connection is used"));
            previous.close();
        }
    }

    @Override
    public void close() {
        for (ServerSocketChannel server : servers) closeQuietly(server);
        connections.values().forEach(StreamConnection::close);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing at the end of a run
        }
    }
}
