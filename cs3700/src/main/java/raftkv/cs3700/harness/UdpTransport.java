package raftkv.cs3700.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Generation A: one UDP socket on 127.0.0.1 (ephemeral port). A replica's address is learned from
 * its hello, which is consumed here (never counted or routed); every other datagram is handed to
 * the simulation thread tagged with the replica that owns the source address.
 */
final class UdpTransport implements ReplicaTransport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DatagramChannel channel;
    private final Set<String> replicas;
    private final BlockingQueue<SimEvent> sink;
    private final Map<String, SocketAddress> addressOf = new ConcurrentHashMap<>();
    private final Map<SocketAddress, String> ownerOf = new ConcurrentHashMap<>();
    private final Thread reader;

    UdpTransport(List<String> replicas, BlockingQueue<SimEvent> sink) throws IOException {
        this.replicas = Set.copyOf(replicas);
        this.sink = sink;
        this.channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress("127.0.0.1", 0));
        this.reader = Thread.ofPlatform().daemon().name("cs3700-udp-reader").start(this::readLoop);
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
        SocketAddress to = addressOf.get(replica);
        if (to == null) return;
        try {
            channel.send(ByteBuffer.wrap(json), to);
        } catch (IOException e) {
            sink.add(new SimEvent.TransportNote(replica, "UDP send failed: " + e.getMessage()));
        }
    }

    private void readLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(65536);
        while (channel.isOpen()) {
            try {
                buffer.clear();
                SocketAddress from = channel.receive(buffer);
                if (from == null) continue;
                buffer.flip();
                byte[] payload = new byte[buffer.remaining()];
                buffer.get(payload);
                if (!consumedAsHello(from, payload)) {
                    sink.add(new SimEvent.FromReplica(ownerOf.get(from), payload));
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                sink.add(new SimEvent.TransportNote(null, "UDP receive failed: " + e.getMessage()));
            }
        }
    }

    /** A hello registers (or re-registers) the sender's address; it is never routed. */
    private boolean consumedAsHello(SocketAddress from, byte[] payload) {
        JsonNode node;
        try {
            node = JSON.readTree(payload);
        } catch (IOException | RuntimeException e) {
            return false; // the simulation thread reports it
        }
        if (node == null || !node.isObject() || !"hello".equals(node.path("type").asText())) return false;
        String src = node.path("src").asText("");
        if (!replicas.contains(src)) {
            sink.add(new SimEvent.TransportNote(null, "hello from unknown src '" + src + "' ignored"));
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
        reader.interrupt();
    }
}
