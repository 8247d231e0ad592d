package raftkv.checker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every public history must be classified as its label says; unlabelled ones definitely. */
class PublicHistoriesTest {

    private static final Duration BUDGET = Duration.ofSeconds(30);

    @TestFactory
    Stream<DynamicTest> everyHistoryGetsItsExpectedVerdict() throws IOException {
        Path dir = SharedHistories.porcupine();
        Map<String, Boolean> expected = new HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("EXPECTED.tsv"))) {
            String[] cols = line.split("\t");
            if (cols.length == 2 && !cols[0].equals("file")) expected.put(cols[0], Boolean.parseBoolean(cols[1]));
        }
        List<Path> files = HistoryFiles.expand(List.of(dir));
        assertThat(files).hasSizeGreaterThanOrEqualTo(expected.size());
        assertThat(expected).isNotEmpty();
        return files.stream().map(file -> {
            String rel = dir.relativize(file).toString().replace('\\', '/');
            return DynamicTest.dynamicTest(rel, () -> {
                ParsedHistory parsed = HistoryFiles.read(file);
                Verdict v = LinearizabilityChecker.check(parsed.history(), parsed.model(), BUDGET, Duration.ZERO);
                assertThat(v).as(rel).isNotInstanceOf(Verdict.Unknown.class);
                if (expected.containsKey(rel)) {
                    assertThat(v.isLinearizable()).as(rel + " verdict " + v).isEqualTo(expected.get(rel));
                }
            });
        });
    }

    @Test
    void everyLabelledFileExists() throws IOException {
        Path dir = SharedHistories.porcupine();
        for (String line : Files.readAllLines(dir.resolve("EXPECTED.tsv"))) {
            String[] cols = line.split("\t");
            if (cols.length == 2 && !cols[0].equals("file")) assertThat(dir.resolve(cols[0])).exists();
        }
    }

    @Test
    void violationInPublicKvHistoryIsExplained() {
        Path file = SharedHistories.porcupine().resolve("kv/c10-bad.txt");
        ParsedHistory parsed = HistoryFiles.read(file);
        Verdict v = LinearizabilityChecker.check(parsed.history(), parsed.model(), BUDGET, Duration.ofSeconds(2));
        assertThat(v).isInstanceOfSatisfying(Verdict.NotLinearizable.class, n -> assertThat(n.explanation())
                .contains("key " + n.key()).contains("Longest linearizable prefix").contains("Could not place next"));
    }
}
