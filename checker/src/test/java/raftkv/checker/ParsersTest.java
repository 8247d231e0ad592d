package raftkv.checker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ParsersTest {

    @Test
    void jsonLinesRoundTripsEveryOperationKind() {
        List<Operation> ops = List.of(
                Operation.put(1, "k", "v", 1, 2),
                Operation.get(2, "k", "v", 3, 4),
                Operation.get(2, "k", null, 5, 6),
                Operation.delete(3, "k", 7, 8),
                Operation.cas(4, "k", null, "w", true, 9, 10),
                Operation.cas(4, "k", "a", "w", false, 11, 12),
                Operation.append(5, "k", "x", 13, 14),
                Operation.unknown(6, new Command.Put("k", "u"), 15),
                Operation.failed(7, new Command.Delete("k"), 16, 17));
        List<String> lines = ops.stream().map(JsonLinesFormat::format).toList();
        ParsedHistory parsed = JsonLinesFormat.parse(lines, "mem");
        assertThat(parsed.history().operations()).containsExactlyElementsOf(ops);
        assertThat(parsed.model()).isEqualTo(Model.kv());
        assertThat(HistoryFiles.detect(lines)).isEqualTo("jsonl");
    }

    @Test
    void jsonLinesErrorsNameTheLineAndProblem() {
        assertThatThrownBy(() -> JsonLinesFormat.parse(List.of("{\"client\":1}"), "h.jsonl"))
                .isInstanceOf(HistoryParseException.class).hasMessageContaining("h.jsonl:1").hasMessageContaining("key");
        assertThatThrownBy(() -> JsonLinesFormat.parse(List.of("", "{nope"), "h.jsonl"))
                .isInstanceOf(HistoryParseException.class).hasMessageContaining("h.jsonl:2").hasMessageContaining("JSON");
        assertThatThrownBy(() -> JsonLinesFormat.parse(List.of(
                "{\"client\":1,\"op\":\"cas\",\"key\":\"k\",\"expected\":\"a\",\"value\":\"b\",\"invoke\":1,\"complete\":2,\"outcome\":\"ok\"}"), "h"))
                .isInstanceOf(HistoryParseException.class).hasMessageContaining("result");
        assertThatThrownBy(() -> JsonLinesFormat.parse(List.of(
                "{\"client\":1,\"op\":\"put\",\"key\":\"k\",\"value\":\"b\",\"invoke\":5,\"complete\":2,\"outcome\":\"ok\"}"), "h"))
                .isInstanceOf(HistoryParseException.class).hasMessageContaining("before");
        assertThatThrownBy(() -> JsonLinesFormat.parse(List.of(
                "{\"client\":1,\"op\":\"frob\",\"key\":\"k\",\"invoke\":5,\"complete\":6,\"outcome\":\"ok\"}"), "h"))
                .isInstanceOf(HistoryParseException.class).hasMessageContaining("frob");
    }

    @Test
    void jepsenRegisterLogWithPrefixesCasFailuresAndTimeouts() {
        List<String> lines = List.of(
                "INFO  jepsen.util - 0\t:invoke\t:write\t1",
                "INFO  jepsen.util - 1\t:invoke\t:cas\t[1 2]",
                "INFO  jepsen.util - 0\t:ok\t:write\t1",
                "INFO  jepsen.util - :nemesis\t:info\t:start\tnil",
                "INFO  jepsen.util - 1\t:fail\t:cas\t[1 2]",
                "INFO  jepsen.util - 2\t:invoke\t:read\tnil",
                "INFO  jepsen.util - 2\t:fail\t:read\t:timed-out",
                "INFO  jepsen.util - 3\t:invoke\t:write\t4",
                "INFO  jepsen.util - 3\t:info\t:write\t:timed-out",
                "INFO  jepsen.util - 4\t:invoke\t:read\tnil",
                "INFO  jepsen.util - 4\t:ok\t:read\tnil",
                "INFO  jepsen.util - 5\t:invoke\t:cas\t[nil 3]");
        assertThat(HistoryFiles.detect(lines)).isEqualTo("jepsen");
        ParsedHistory parsed = JepsenRegisterFormat.parse(lines, "etcd.log");
        assertThat(parsed.model()).isEqualTo(Model.register());
        assertThat(parsed.history().operations()).containsExactlyInAnyOrder(
                Operation.put(0, "register", "1", 0, 2),
                Operation.cas(1, "register", "1", "2", false, 1, 4),
                Operation.failed(2, new Command.Get("register"), 5, 6),
                Operation.unknown(3, new Command.Put("register", "4"), 7),
                Operation.get(4, "register", null, 9, 10),
                Operation.unknown(5, new Command.Cas("register", null, "3"), 11));
    }

    @Test
    void jepsenCompletionWithoutInvocationIsAClearError() {
        assertThatThrownBy(() -> JepsenRegisterFormat.parse(List.of("0 :ok :read 1"), "x.log"))
                .isInstanceOf(HistoryParseException.class).hasMessageContaining("x.log:1").hasMessageContaining("never invoked");
    }

    @Test
    void ednKvMapsWithEmptyStringInitialValue() {
        List<String> lines = List.of(
                "{:process 0, :type :invoke, :f :get, :key \"5\", :value nil}",
                "{:process 0, :type :ok, :f :get, :key \"5\", :value \"\"}",
                "{:process 1, :type :invoke, :f :append, :key \"5\", :value \"x \\\"q\\\" y\"}",
                "{:process 1, :type :ok, :f :append, :key \"5\", :value \"x \\\"q\\\" y\"}",
                "{:process 2, :type :invoke, :f :put, :key \"6\", :value \"z\"}");
        assertThat(HistoryFiles.detect(lines)).isEqualTo("edn");
        ParsedHistory parsed = EdnKvFormat.parse(lines, "c.txt");
        assertThat(parsed.model()).isEqualTo(new Model.KeyValue(""));
        assertThat(parsed.history().operations()).containsExactly(
                Operation.get(0, "5", "", 0, 1),
                Operation.append(1, "5", "x \"q\" y", 2, 3),
                Operation.unknown(2, new Command.Put("6", "z"), 4));
    }

    @Test
    void ednErrorsNameTheLine() {
        assertThatThrownBy(() -> EdnKvFormat.parse(List.of("{:process 0, :type :invoke, :f :get, :key \"5\""), "c.txt"))
                .isInstanceOf(HistoryParseException.class).hasMessageContaining("c.txt:1");
        assertThatThrownBy(() -> EdnKvFormat.parse(List.of("{:process 0, :type :invoke, :f :frob, :key \"5\", :value nil}"), "c.txt"))
                .isInstanceOf(HistoryParseException.class).hasMessageContaining("frob");
    }

    @Test
    void unrecognisedAndEmptyContent() {
        assertThat(HistoryFiles.detect(List.of("hello world"))).isEqualTo("none");
        assertThat(HistoryFiles.detect(List.of("", "  "))).isEqualTo("empty");
    }
}
