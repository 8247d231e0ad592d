package raftkv.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import raftkv.storage.fs.RealFiles;

class SegmentedLogTest {

    private static final WalOptions SMALL = new WalOptions(300, 1 << 16);

    @TempDir
    Path dir;

    private SegmentedLog open() throws IOException {
        return SegmentedLog.open(RealFiles.INSTANCE, dir, SMALL);
    }

    @Test
    void freshLogIsEmptyStartingAtOne() throws IOException {
        try (SegmentedLog log = open()) {
            assertThat(log.firstIndex()).isEqualTo(1);
            assertThat(log.lastIndex()).isEqualTo(0);
            assertThat(log.read(1, 1, 100)).isEmpty();
        }
    }

    @Test
    void appendAndReadAcrossSegmentsThenReopen() throws IOException {
        List<LogRecord> all = Records.range(1, 101, 3, 60);
        try (SegmentedLog log = open()) {
            for (int i = 0; i < all.size(); i += 7) {
                log.append(all.subList(i, Math.min(all.size(), i + 7)));
            }
            log.sync();
            assertThat(log.segmentCount()).isGreaterThan(5);
            assertThat(log.read(1, 101, Long.MAX_VALUE)).containsExactlyElementsOf(all);
            assertThat(log.read(37, 64, Long.MAX_VALUE)).containsExactlyElementsOf(all.subList(36, 63));
            assertThat(log.termAt(50)).isEqualTo(3);
        }
        try (SegmentedLog log = open()) {
            assertThat(log.firstIndex()).isEqualTo(1);
            assertThat(log.lastIndex()).isEqualTo(100);
            assertThat(log.read(1, 101, Long.MAX_VALUE)).containsExactlyElementsOf(all);
        }
    }

    @Test
    void readStopsAtMaxBytesButReturnsAtLeastOne() throws IOException {
        try (SegmentedLog log = open()) {
            log.append(List.of(Records.record(1, 1, 40), Records.record(2, 1, 40), Records.record(3, 1, 40)));
            assertThat(log.read(1, 4, 0)).extracting(LogRecord::index).containsExactly(1L);
            assertThat(log.read(1, 4, 80)).extracting(LogRecord::index).containsExactly(1L, 2L);
            assertThat(log.read(1, 4, 79)).extracting(LogRecord::index).containsExactly(1L);
        }
    }

    @Test
    void appendAtExistingIndexReplacesTheSuffixAcrossSegments() throws IOException {
        try (SegmentedLog log = open()) {
            log.append(Records.range(1, 60, 1, 50));
            int before = log.segmentCount();
            List<LogRecord> replacement = Records.range(10, 15, 2, 30);
            log.append(replacement);
            log.sync();
            assertThat(log.segmentCount()).isLessThan(before);
            assertThat(log.lastIndex()).isEqualTo(14);
            assertThat(log.termAt(9)).isEqualTo(1);
            assertThat(log.termAt(10)).isEqualTo(2);
        }
        try (SegmentedLog log = open()) {
            List<LogRecord> expected = new ArrayList<>(Records.range(1, 10, 1, 50));
            expected.addAll(Records.range(10, 15, 2, 30));
            assertThat(log.read(1, 15, Long.MAX_VALUE)).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void truncateSuffixAtSegmentBoundary() throws IOException {
        long boundary;
        try (SegmentedLog log = open()) {
            log.append(Records.range(1, 40, 1, 50));
            log.sync();
            boundary = firstIndexOfSegment(2);
            int before = log.segmentCount();
            log.truncateSuffix(boundary);
            assertThat(log.lastIndex()).isEqualTo(boundary - 1);
            assertThat(log.segmentCount()).isLessThan(before);
            log.append(Records.range(boundary, boundary + 3, 5, 10));
            log.sync();
        }
        try (SegmentedLog log = open()) {
            assertThat(log.lastIndex()).isEqualTo(boundary + 2);
            assertThat(log.termAt(boundary - 1)).isEqualTo(1);
            assertThat(log.termAt(boundary)).isEqualTo(5);
        }
    }

    private long firstIndexOfSegment(int n) throws IOException {
        String name = RealFiles.INSTANCE.list(dir).get(n).getFileName().toString();
        return Long.parseLong(name.substring(0, 20));
    }

    @Test
    void dropPrefixDeletesWholeSegmentsBelowThePoint() throws IOException {
        try (SegmentedLog log = open()) {
            log.append(Records.range(1, 80, 1, 50));
            log.sync();
            int before = log.segmentCount();
            long third = firstIndexOfSegment(3);
            log.dropPrefix(third + 1);
            assertThat(log.firstIndex()).isEqualTo(third + 2);
            assertThat(log.segmentCount()).isEqualTo(before - 3);
            assertThatThrownBy(() -> log.termAt(third + 1)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThat(log.read(third + 2, 80, Long.MAX_VALUE)).containsExactlyElementsOf(Records.range(third + 2, 80, 1, 50));
        }
        try (SegmentedLog log = open()) {
            assertThat(log.lastIndex()).isEqualTo(79);
            assertThat(log.termAt(79)).isEqualTo(1);
        }
    }

    @Test
    void dropPrefixPastTheEndEmptiesTheLogAndAppendsMayStartThere() throws IOException {
        try (SegmentedLog log = open()) {
            log.append(Records.range(1, 30, 1, 50));
            log.dropPrefix(100);
            assertThat(log.firstIndex()).isEqualTo(101);
            assertThat(log.lastIndex()).isEqualTo(100);
            log.append(Records.range(101, 105, 7, 20));
            log.sync();
        }
        try (SegmentedLog log = open()) {
            assertThat(log.firstIndex()).isEqualTo(101);
            assertThat(log.read(101, 105, Long.MAX_VALUE)).containsExactlyElementsOf(Records.range(101, 105, 7, 20));
        }
    }

    @Test
    void gapsAndBadBatchesAreRefusedWithoutChangingTheLog() throws IOException {
        try (SegmentedLog log = open()) {
            log.append(Records.range(1, 5, 1, 10));
            assertThatThrownBy(() -> log.append(Records.range(7, 9, 1, 10)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gap");
            assertThatThrownBy(() -> log.append(List.of(Records.record(5, 1, 1), Records.record(7, 1, 1))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("contiguous");
            assertThatThrownBy(() -> log.append(List.of(Records.record(5, 1, 1 << 16))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds");
            assertThat(log.lastIndex()).isEqualTo(4);
            log.append(Records.range(5, 6, 1, 10));
            assertThat(log.lastIndex()).isEqualTo(5);
        }
    }

    @Test
    void recordLargerThanASegmentGetsASegmentOfItsOwn() throws IOException {
        try (SegmentedLog log = open()) {
            log.append(List.of(Records.record(1, 1, 10), Records.record(2, 1, 1000), Records.record(3, 1, 10)));
            log.sync();
            assertThat(log.segmentCount()).isEqualTo(3);
        }
        try (SegmentedLog log = open()) {
            assertThat(log.read(1, 4, Long.MAX_VALUE)).hasSize(3).element(1).isEqualTo(Records.record(2, 1, 1000));
        }
    }

    @Test
    void truncatingBelowTheFirstIndexEmptiesTheLogAndItRestartsThere() throws IOException {
        try (SegmentedLog log = open()) {
            log.append(Records.range(1, 40, 1, 50));
            long second = firstIndexOfSegment(1);
            log.dropPrefix(second + 1);
            log.truncateSuffix(second - 3);
            assertThat(log.firstIndex()).isEqualTo(second - 3);
            assertThat(log.lastIndex()).isEqualTo(second - 4);
            log.append(Records.range(second - 3, second + 2, 9, 10));
            log.sync();
        }
        try (SegmentedLog log = open()) {
            assertThat(log.firstIndex()).isEqualTo(firstIndexOfSegment(0));
            assertThat(log.termAt(log.lastIndex())).isEqualTo(9);
            assertThat(log.read(log.firstIndex(), log.lastIndex() + 1, Long.MAX_VALUE)).isNotEmpty();
        }
    }
}
