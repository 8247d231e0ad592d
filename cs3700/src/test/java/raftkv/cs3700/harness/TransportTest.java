package raftkv.cs3700.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both transports driven by an {@link EventLoop} on the test thread, against real sockets. */
class TransportTest {
    private final List<SimEvent> events = new ArrayList<>();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void runUntil(EventLoop loop, BooleanSupplier done) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out").isLessThan(deadline);
            loop.runOnce(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    private List<String> messagesFrom(String replica) {
        return events.stream()
                .filter(e -> e instanceof SimEvent.FromReplica m && replica.equals(m.sender()))
                .map(e -> new String(((SimEvent.FromReplica) e).payload(), StandardCharsets.UTF_8))
                .toList();
    }

    @Test
    void generationBSplitsWhatAReplicaWritesIntoMessages(@TempDir Path dir) throws IOException {
        try (EventLoop loop = new EventLoop(events::add);
                UnixTransport transport = new UnixTransport(dir, List.of("0000"), loop);
                SocketChannel replica = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            replica.connect(UnixDomainSocketAddress.of(dir.resolve("0000")));
            runUntil(loop, () -> transport.ready("0000"));
            replica.write(ByteBuffer.wrap(utf8("{\"a\":1}\n{\"b\"")));
            runUntil(loop, () -> messagesFrom("0000").size() == 1);
            replica.write(ByteBuffer.wrap(utf8(":2}\n{\"c\"")));
            runUntil(loop, () -> messagesFrom("0000").size() == 2);
            replica.close();
            runUntil(loop, () -> events.stream().anyMatch(e -> e instanceof SimEvent.TransportNote));
            assertThat(messagesFrom("0000")).containsExactly("{\"a\":1}", "{\"b\":2}");
            assertThat(events).contains(new SimEvent.TransportNote("0000", "4 unterminated bytes at end of stream discarded"));
        }
    }

    @Test
    void generationBNeverBlocksOnAReplicaThatStopsReadingAndLosesNothing(@TempDir Path dir) throws IOException {
        try (EventLoop loop = new EventLoop(events::add);
                UnixTransport transport = new UnixTransport(dir, List.of("0000"), loop);
                SocketChannel replica = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            replica.connect(UnixDomainSocketAddress.of(dir.resolve("0000")));
            runUntil(loop, () -> transport.ready("0000"));
            // About 4 MB, far more than a socket buffer holds: a blocking write would hang here.
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            String padding = "x".repeat(2000);
            for (int i = 0; i < 2000; i++) {
                byte[] json = utf8("{\"n\":" + i + ",\"pad\":\"" + padding + "\"}");
                transport.send("0000", json);
                expected.write(json);
                expected.write('\n');
            }
            replica.configureBlocking(false);
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(65536);
            runUntil(loop, () -> {
                try {
                    for (int n; (n = replica.read(buffer.clear())) > 0; ) received.write(buffer.array(), 0, n);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
                return received.size() >= expected.size();
            });
            assertThat(received.toByteArray()).isEqualTo(expected.toByteArray());
        }
    }

    @Test
    void generationALearnsAddressesFromHellosAndTagsMessagesWithTheirSender() throws IOException {
        try (EventLoop loop = new EventLoop(events::add);
                UdpTransport transport = new UdpTransport(List.of("0000", "0001"), loop);
                DatagramChannel replica = DatagramChannel.open();
                DatagramChannel stranger = DatagramChannel.open()) {
            InetSocketAddress harness = new InetSocketAddress("127.0.0.1", transport.port());
            replica.bind(new InetSocketAddress("127.0.0.1", 0));
            stranger.bind(new InetSocketAddress("127.0.0.1", 0));
            replica.send(ByteBuffer.wrap(utf8("{\"src\":\"0000\",\"dst\":\"FFFF\",\"leader\":\"FFFF\",\"type\":\"hello\"}")), harness);
            runUntil(loop, () -> transport.ready("0000"));
            assertThat(events).as("a hello is consumed, not routed").isEmpty();
            assertThat(transport.ready("0001")).isFalse();

            replica.send(ByteBuffer.wrap(utf8("{\"type\":\"x\"}")), harness);
            stranger.send(ByteBuffer.wrap(utf8("{\"type\":\"y\"}")), harness);
            runUntil(loop, () -> events.size() == 2);
            assertThat(events).extracting(e -> ((SimEvent.FromReplica) e).sender()).containsExactlyInAnyOrder("0000", null);

            transport.send("0000", utf8("{\"type\":\"z\"}"));
            ByteBuffer got = ByteBuffer.allocate(100);
            replica.receive(got);
            assertThat(new String(got.array(), 0, got.position(), StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"z\"}");
        }
    }

    @Test
    void anEventPostedFromAnotherThreadIsHandledWithoutWaitingOutTheLoopsTimeout() throws Exception {
        try (EventLoop loop = new EventLoop(events::add)) {
            Thread poster = Thread.ofPlatform().start(() -> loop.post(new SimEvent.Exited("0000", 1)));
            poster.join();
            // The post woke the selector: without the wake-up this wait would last its 30 s.
            long started = System.nanoTime();
            loop.runOnce(TimeUnit.SECONDS.toNanos(30));
            assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(5));
            assertThat(events).containsExactly(new SimEvent.Exited("0000", 1));
        }
    }
}
