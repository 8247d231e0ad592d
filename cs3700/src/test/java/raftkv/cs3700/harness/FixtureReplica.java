package raftkv.cs3700.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A deliberately tiny replica used as a test fixture, run as its own JVM by the harness:
 * {@code FixtureReplica <mode> <generation argv...>}. Replica 0000 is a fixed leader that stores
 * everything, answers, and broadcasts one note to its peers per request (so the message floor is
 * met); the others redirect to 0000 and never talk to peers. Modes: {@code good}; {@code dup}
 * (the leader answers every put twice); {@code wrong} (the leader corrupts get values);
 * {@code silent=<ID>} (that replica never says hello / connects, and just waits to be killed).
 */
public final class FixtureReplica {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LEADER = "0000";

    private final String mode;
    private final String me;
    private final Map<String, String> store = new HashMap<>();

    private FixtureReplica(String mode, String me) {
        this.mode = mode;
        this.me = me;
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        boolean generationB = Files.exists(Path.of(rest[0]));
        String me = generationB ? rest[0] : rest[1];
        if (mode.equals("silent=" + me)) {
            // A replica that never says hello: it just stays alive until the harness kills it.
            new java.util.concurrent.CountDownLatch(1).await();
        }
        FixtureReplica replica = new FixtureReplica(mode, me);
        if (generationB) replica.runStream(); else replica.runUdp(Integer.parseInt(rest[0]));
    }

    private interface Out {
        void send(byte[] json) throws IOException;
    }

    private void runUdp(int port) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            InetSocketAddress sim = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port);
            Out out = json -> socket.send(new DatagramPacket(json, json.length, sim));
            out.send(message("FFFF", "hello"));
            byte[] buffer = new byte[65536];
            while (true) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                handle(JSON.readTree(Arrays.copyOf(packet.getData(), packet.getLength())), out);
            }
        }
    }

    private void runStream() throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(me));
            Out out = json -> {
                ByteBuffer b = ByteBuffer.allocate(json.length + 1).put(json).put((byte) '\n').flip();
                while (b.hasRemaining()) channel.write(b);
            };
            ByteBuffer buffer = ByteBuffer.allocate(65536);
            ByteArrayOutputStream pending = new ByteArrayOutputStream();
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    byte b = buffer.get();
                    if (b == '\n') {
                        handle(JSON.readTree(pending.toString(StandardCharsets.UTF_8)), out);
                        pending.reset();
                    } else {
                        pending.write(b);
                    }
                }
                buffer.clear();
            }
        }
    }

    private void handle(JsonNode msg, Out out) throws IOException {
        String type = msg.path("type").asText();
        if (!List.of("get", "put").contains(type)) return;
        String client = msg.path("src").asText();
        String mid = msg.path("MID").asText();
        if (!me.equals(LEADER)) {
            out.send(reply(client, "redirect", mid, null));
            return;
        }
        String key = msg.path("key").asText();
        if (type.equals("put")) {
            store.put(key, msg.path("value").asText());
            out.send(reply(client, "ok", mid, null));
            if (mode.equals("dup")) out.send(reply(client, "ok", mid, null));
        } else {
            String value = store.getOrDefault(key, "");
            if (mode.equals("wrong") && !value.isEmpty()) value = value + "-stale";
            out.send(reply(client, "ok", mid, value));
        }
        ObjectNode note = JSON.createObjectNode().put("src", me).put("dst", "FFFF").put("leader", LEADER)
                .put("type", "note").put("key", key);
        out.send(JSON.writeValueAsBytes(note));
    }

    private byte[] message(String dst, String type) throws IOException {
        return JSON.writeValueAsBytes(JSON.createObjectNode().put("src", me).put("dst", dst).put("leader", me.equals(LEADER) ? LEADER : "FFFF").put("type", type));
    }

    private byte[] reply(String client, String type, String mid, String value) throws IOException {
        ObjectNode r = JSON.createObjectNode().put("src", me).put("dst", client).put("leader", LEADER)
                .put("type", type).put("MID", mid);
        if (value != null) r.put("value", value);
        return JSON.writeValueAsBytes(r);
    }
}
