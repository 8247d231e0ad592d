package raftkv.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

import raftkv.storage.fs.SimulatedFiles;

class WalWriterTest {

    private final SimulatedFiles files = new SimulatedFiles(new SplittableRandom(1));
    private final Path dir = Path.of("/sim/wal");

    private SegmentedLog open() throws IOException {
        return SegmentedLog.open(files, dir, new WalOptions(4096, 1 << 16));
    }

    private static final class Recorder implements WalWriter.Callback {
        final List<String> events;
        final String name;

        Recorder(List<String> events, String name) {
            this.events = events;
            this.name = name;
        }

        @Override
        public void onDurable() {
            events.add(name + " durable");
        }

        @Override
        public void onFailure(IOException error) {
            events.add(name + " failed: " + error.getMessage());
        }
    }

    @Test
    void synchronousModeIsDurableBeforeSubmitReturns() throws IOException {
        try (SegmentedLog log = open()) {
            WalWriter w = WalWriter.synchronous(log);
            List<String> events = new ArrayList<>();
            w.submit(Records.range(1, 4, 1, 20), new Recorder(events, "a"));
            assertThat(events).containsExactly("a durable");
            assertThat(w.fsyncCount()).isEqualTo(1);
        }
        files.crash(true);
        try (SegmentedLog log = open()) {
            assertThat(log.lastIndex()).isEqualTo(3);
        }
    }

    @Test
    void rejectedSubmissionFailsAloneAndLaterOnesSucceed() throws IOException {
        try (SegmentedLog log = open()) {
            WalWriter w = WalWriter.synchronous(log);
            List<String> events = new ArrayList<>();
            w.submit(Records.range(1, 3, 1, 20), new Recorder(events, "a"));
            w.submit(Records.range(9, 10, 1, 20), new Recorder(events, "gap"));
            w.submit(Records.range(3, 4, 1, 20), new Recorder(events, "b"));
            assertThat(events).hasSize(3);
            assertThat(events.get(0)).isEqualTo("a durable");
            assertThat(events.get(1)).startsWith("gap failed: WAL submission rejected");
            assertThat(events.get(2)).isEqualTo("b durable");
        }
    }

    @Test
    void threadedWriterCompletesEverySubmissionInOrderWithNoMoreFsyncsThanBatches() throws Exception {
        try (SegmentedLog log = open()) {
            WalWriter w = WalWriter.start(log, "wal-test");
            List<CompletableFuture<Long>> futures = new ArrayList<>();
            for (long i = 1; i <= 500; i++) futures.add(w.submit(List.of(Records.record(i, 1, 30))));
            futures.add(w.submitDropPrefix(100));
            for (CompletableFuture<Long> f : futures) f.join();
            w.close();
            assertThat(w.fsyncCount()).isLessThanOrEqualTo(w.batchCount()).isLessThanOrEqualTo(501);
            assertThat(log.firstIndex()).isEqualTo(101);
            assertThat(log.read(101, 501, Long.MAX_VALUE)).containsExactlyElementsOf(
                    java.util.stream.LongStream.range(101, 501).mapToObj(i -> Records.record(i, 1, 30)).toList());
            assertThatThrownBy(() -> w.submit(List.of(Records.record(501, 1, 1))).join())
                    .isInstanceOf(CompletionException.class).hasMessageContaining("closed");
        }
    }

    @Test
    void aFailedFsyncFailsTheBatchAndEverySubmissionAfterIt() throws IOException {
        FailingForceFiles dying = new FailingForceFiles(files);
        try (SegmentedLog log = SegmentedLog.open(dying, dir, new WalOptions(4096, 1 << 16))) {
            WalWriter w = WalWriter.synchronous(log);
            List<String> events = new ArrayList<>();
            w.submit(Records.range(1, 3, 1, 20), new Recorder(events, "a"));
            dying.failing = true;
            w.submit(Records.range(3, 5, 1, 20), new Recorder(events, "b"));
            dying.failing = false;
            w.submit(Records.range(5, 6, 1, 20), new Recorder(events, "c"));
            assertThat(events).containsExactly("a durable",
                    "b failed: injected fsync failure on 00000000000000000001.wal",
                    "c failed: injected fsync failure on 00000000000000000001.wal");
            assertThatThrownBy(() -> log.append(Records.range(5, 6, 1, 20))).hasMessageContaining("reopen");
        }
        files.crash(false);
        try (SegmentedLog log = open()) {
            assertThat(log.lastIndex()).isEqualTo(2);
        }
    }
}
