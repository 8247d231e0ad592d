package raftkv.cs3700.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import raftkv.cs3700.Outbox;

/**
 * Generation A: one non-blocking UDP socket on 127.0.0.1 (ephemeral port), served by the
 * simulation thread's {@link EventLoop}. A replica's address is learned from its hello, which is
 * consumed here (never counted or routed); every other datagram is emitted tagged with the
 * replica that owns the source address.
 */
final class UdpTransport implements ReplicaTransport {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Datagrams read per wakeup, at most: a burst must not hold up due timeline actions for long. */
    private static final int READS_PER_WAKEUP = 64;

    /** One datagram not yet taken by the socket; the address is looked up when it is sent. */
    private record Datagram(String replica, ByteBuffer bytes) {}

    private final EventLoop loop;
    private final DatagramChannel channel;
    private final SelectionKey key;
    private final Set<String> replicas;
    private final Map<String, SocketAddress> addressOf = new HashMap<>();
    private final Map<SocketAddress, String> ownerOf = new HashMap<>();
    private final Outbox<Datagram> unsent = new Outbox<>(this::trySend);
    private final ByteBuffer readBuffer = ByteBuffer.allocate(65536);

    UdpTransport(List<String> replicas, EventLoop loop) throws IOException {
        this.replicas = Set.copyOf(replicas);
        this.loop = loop;
        this.channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress("127.0.0.1", 0));
        this.key = loop.register(channel, SelectionKey.OP_READ, k -> ready());
    }

    int port() {
        try {
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new IllegalStateException("UDP socket closed", e);
        }
    }

    @Override
    public List<String> argv(String myId, List<String> peers) {
        return concat(List.of(Integer.toString(port()), myId), peers);
    }

    @Override
    public boolean ready(String replica) {
        return addressOf.containsKey(replica);
    }

    @Override
    public void send(String replica, byte[] json) {
        if (!addressOf.containsKey(replica)) return;
        Outbox.wantWrite(key, !unsent.send(new Datagram(replica, ByteBuffer.wrap(json))));
    }

    /** A full send buffer makes a non-blocking send take nothing: the datagram then waits for OP_WRITE. */
    private boolean trySend(Datagram d) {
        try {
            channel.send(d.bytes(), addressOf.get(d.replica()));
        } catch (IOException e) {
            loop.emit(new SimEvent.TransportNote(d.replica(), "UDP send failed: " + e.getMessage()));
            return true; // reported; the datagram is lost, as a blocking send would have lost it
        }
        return !d.bytes().hasRemaining();
    }

    private void ready() {
        if (key.isWritable()) Outbox.wantWrite(key, !unsent.flush());
        if (key.isReadable()) receive();
    }

    private void receive() {
        for (int i = 0; i < READS_PER_WAKEUP; i++) {
            SocketAddress from;
            readBuffer.clear();
            try {
                from = channel.receive(readBuffer);
            } catch (IOException e) {
                loop.emit(new SimEvent.TransportNote(null, "UDP receive failed: " + e.getMessage()));
                return;
            }
            if (from == null) return; // drained
            readBuffer.flip();
            byte[] payload = new byte[readBuffer.remaining()];
            readBuffer.get(payload);
            if (!consumedAsHello(from, payload)) {
                loop.emit(new SimEvent.FromReplica(ownerOf.get(from), payload));
            }
        }
    }

    /** A hello registers (or re-registers) the sender's address; it is never routed. */
    private boolean consumedAsHello(SocketAddress from, byte[] payload) {
        JsonNode node;
        try {
            node = JSON.readTree(payload);
        } catch (IOException | RuntimeException e) {
            return false; // the simulation reports it
        }
        if (node == null || !node.isObject() || !"hello".equals(node.path("type").asText())) return false;
        String src = node.path("src").asText("");
        if (!replicas.contains(src)) {
            loop.emit(new SimEvent.TransportNote(null, "hello from unknown src '" + src + "' ignored"));
            return true;
        }
        ownerOf.put(from, src);
        addressOf.put(src, from);
        return true;
    }

    static List<String> concat(List<String> head, List<String> tail) {
        return java.util.stream.Stream.concat(head.stream(), tail.stream()).toList();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing; nothing useful to do
        }
    }
}
