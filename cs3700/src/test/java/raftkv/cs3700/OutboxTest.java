package raftkv.cs3700;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutboxTest {
    /** A stream socket stand-in that takes at most {@code room} bytes until given more. */
    private static final class Socket {
        final StringBuilder received = new StringBuilder();
        int room;
        int attempts;

        boolean write(ByteBuffer bytes) {
            attempts++;
            int n = Math.min(room, bytes.remaining());
            byte[] taken = new byte[n];
            bytes.get(taken);
            received.append(new String(taken, StandardCharsets.UTF_8));
            room -= n;
            return !bytes.hasRemaining();
        }
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void whatTheSocketTakesAtOnceLeavesNothingWaiting() {
        Socket socket = new Socket();
        socket.room = 100;
        Outbox<ByteBuffer> outbox = new Outbox<>(socket::write);
        assertThat(outbox.send(bytes("one\n"))).isTrue();
        assertThat(outbox.send(bytes("two\n"))).isTrue();
        assertThat(outbox.isEmpty()).isTrue();
        assertThat(socket.received).hasToString("one\ntwo\n");
    }

    @Test
    void aPartialWriteIsResumedWhereItStoppedAndLaterSendsWaitBehindIt() {
        Socket socket = new Socket();
        socket.room = 2;
        Outbox<ByteBuffer> outbox = new Outbox<>(socket::write);
        assertThat(outbox.send(bytes("first\n"))).as("only 2 of 6 bytes taken").isFalse();
        socket.room = 100;
        int attemptsBefore = socket.attempts;
        assertThat(outbox.send(bytes("second\n"))).as("queued behind the first, not written ahead of it").isFalse();
        assertThat(socket.attempts).isEqualTo(attemptsBefore);
        assertThat(socket.received).hasToString("fi");

        assertThat(outbox.flush()).isTrue();
        assertThat(outbox.isEmpty()).isTrue();
        assertThat(socket.received).hasToString("first\nsecond\n");
    }

    @Test
    void aFlushThatRunsOutOfRoomAgainKeepsTheRestForLater() {
        Socket socket = new Socket();
        Outbox<ByteBuffer> outbox = new Outbox<>(socket::write);
        outbox.send(bytes("aaaa"));
        outbox.send(bytes("bbbb"));
        socket.room = 6;
        assertThat(outbox.flush()).isFalse();
        assertThat(socket.received).hasToString("aaaabb");
        socket.room = 2;
        assertThat(outbox.flush()).isTrue();
        assertThat(socket.received).hasToString("aaaabbbb");
    }

    @Test
    void anItemTheAttemptGivesUpOnIsDroppedAndTheNextOneWritten() {
        StringBuilder sent = new StringBuilder();
        Outbox<String> outbox = new Outbox<>(item -> {
            if (!item.equals("broken")) sent.append(item); // "broken": a write error, reported elsewhere
            return true;
        });
        assertThat(outbox.send("broken")).isTrue();
        assertThat(outbox.send("fine")).isTrue();
        assertThat(sent).hasToString("fine");
    }
}
