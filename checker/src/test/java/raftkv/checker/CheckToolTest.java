package raftkv.checker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckToolTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

    private Path write(String name, Operation... ops) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, java.util.Arrays.stream(ops).map(JsonLinesFormat::format).toList());
        return p;
    }

    private String output() {
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void allLinearizableExitsZero() throws IOException {
        Path ok = write("ok.jsonl", Operation.put(1, "k", "a", 0, 1), Operation.get(2, "k", "a", 2, 3));
        assertThat(CheckTool.run(List.of(ok), null, Duration.ofSeconds(5), out)).isZero();
        assertThat(output()).contains("ok.jsonl: linearizable (").contains("1 linearizable");
    }

    @Test
    void anyViolationExitsOneAndExplains() throws IOException {
        Path ok = write("ok.jsonl", Operation.put(1, "k", "a", 0, 1));
        Path bad = write("bad.jsonl", Operation.put(1, "k", "a", 0, 1), Operation.get(2, "k", "b", 2, 3));
        assertThat(CheckTool.run(List.of(ok, bad), null, Duration.ofSeconds(5), out)).isEqualTo(1);
        assertThat(output()).contains("bad.jsonl: NOT linearizable").contains("read \"b\" but the value is \"a\"");
    }

    @Test
    void unreadableOrUnknownExitsTwo() throws IOException {
        Path junk = dir.resolve("junk.txt");
        Files.writeString(junk, "hello\n");
        assertThat(CheckTool.run(List.of(junk, dir.resolve("missing.jsonl")), null, Duration.ofSeconds(5), out)).isEqualTo(2);
        assertThat(output()).contains("junk.txt: unknown").contains("not a recognised history format").contains("cannot read");
    }

    @Test
    void modelOverrideAndBadModel() throws IOException {
        Path twoKeys = write("r.jsonl", Operation.put(1, "a", "1", 0, 1), Operation.get(2, "b", "1", 2, 3));
        assertThat(CheckTool.run(List.of(twoKeys), "register", Duration.ofSeconds(5), out)).isZero();
        assertThat(CheckTool.run(List.of(twoKeys), "kv", Duration.ofSeconds(5), out)).isEqualTo(1);
        assertThat(CheckTool.run(List.of(twoKeys), "graph", Duration.ofSeconds(5), out)).isEqualTo(2);
        assertThat(output()).contains("unknown model 'graph'");
    }

    @Test
    void directoriesAreSearchedForHistoryFiles() throws IOException {
        Files.createDirectories(dir.resolve("sub"));
        Files.write(dir.resolve("sub/a.jsonl"), List.of(JsonLinesFormat.format(Operation.put(1, "k", "a", 0, 1))));
        Files.writeString(dir.resolve("sub/notes.md"), "not a history");
        assertThat(CheckTool.run(List.of(dir), null, Duration.ofSeconds(5), out)).isZero();
        assertThat(output()).contains("1 files: 1 linearizable");
    }
}
