package raftkv.cs3700;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What a non-blocking socket cannot take now waits, in order, and goes when it is writable again. */
class OutboundQueueTest {
    /** A channel that takes at most {@code room} bytes until given more. */
    private static final class NarrowChannel implements WritableByteChannel {
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        int room;

        @Override
        public int write(ByteBuffer src) {
            int n = Math.min(room, src.remaining());
            for (int i = 0; i < n; i++) written.write(src.get());
            room -= n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {}

        String text() {
            return written.toString(StandardCharsets.UTF_8);
        }
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void whatTheChannelTakesGoesAtOnceAndTheRestWaitsInOrderUntilItIsWritable() throws Exception {
        NarrowChannel ch = new NarrowChannel();
        OutboundQueue q = new OutboundQueue(ch);
        ch.room = 100;
        q.send(bytes("first;"));
        assertThat(ch.text()).isEqualTo("first;");
        assertThat(q.waiting()).isZero();

        ch.room = 3;
        q.send(bytes("second;"));
        q.send(bytes("third;"));
        assertThat(ch.text()).as("a partial write, and nothing overtakes it").isEqualTo("first;sec");
        assertThat(q.waiting()).isEqualTo(2);

        ch.room = 5;
        q.flush();
        assertThat(ch.text()).isEqualTo("first;second;t");
        ch.room = 100;
        q.flush();
        assertThat(ch.text()).isEqualTo("first;second;third;");
        assertThat(q.waiting()).isZero();
    }

    @Test
    void aMessageTheChannelTakesNothingOfIsKeptNotLost() throws Exception {
        NarrowChannel ch = new NarrowChannel();
        OutboundQueue q = new OutboundQueue(ch);
        q.send(bytes("datagram"));
        assertThat(q.waiting()).isEqualTo(1);
        ch.room = 100;
        q.flush();
        assertThat(ch.text()).isEqualTo("datagram");
    }
}
