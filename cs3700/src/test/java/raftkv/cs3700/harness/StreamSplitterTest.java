package raftkv.cs3700.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamSplitterTest {
    private static List<String> feed(StreamSplitter s, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return s.feed(b, b.length).stream().map(m -> new String(m, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void splitsSeveralMessagesInOneRead() {
        assertThat(feed(new StreamSplitter(), "{\"a\":1}\n{\"b\":{}}\n")).containsExactly("{\"a\":1}", "{\"b\":{}}");
    }

    @Test
    void buffersAMessageSplitAcrossReadsEvenBetweenBraceAndNewline() {
        StreamSplitter s = new StreamSplitter();
        assertThat(feed(s, "{\"a\":")).isEmpty();
        assertThat(feed(s, "1}")).isEmpty();
        assertThat(feed(s, "\n{\"b\"")).containsExactly("{\"a\":1}");
        assertThat(s.pendingBytes()).isEqualTo(4);
        assertThat(feed(s, ":2}\n")).containsExactly("{\"b\":2}");
        assertThat(s.pendingBytes()).isZero();
    }

    @Test
    void aNewlineNotAfterABraceDoesNotEndAMessage() {
        assertThat(feed(new StreamSplitter(), "{\"a\":\n1}\n")).containsExactly("{\"a\":\n1}");
    }
}
