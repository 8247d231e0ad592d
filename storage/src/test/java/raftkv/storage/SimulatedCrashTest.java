package raftkv.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import raftkv.storage.fs.SimulatedFiles;

/**
 * Random workloads on {@link SimulatedFiles}, crashing with torn writes: after every crash the
 * log opens, keeps everything that was synced, and holds exactly a prefix of what was written.
 */
class SimulatedCrashTest {

    private static final Path DIR = Path.of("/sim/node1/wal");
    private static final WalOptions OPTIONS = new WalOptions(512, 1 << 12);

    @Test
    void syncedEntriesSurviveEveryCrashAndNothingElseAppears() throws IOException {
        for (int seed = 0; seed < 300; seed++) {
            runSeed(seed);
        }
    }

    private static void runSeed(int seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        SimulatedFiles files = new SimulatedFiles(rnd.split());
        List<LogRecord> model = new ArrayList<>(); // what the log should hold, index = position + 1
        int durable = 0; // model.subList(0, durable) is synced
        long term = 1;
        for (int round = 0; round < 4; round++) {
            try (SegmentedLog log = SegmentedLog.open(files, DIR, OPTIONS)) {
                assertThat(log.lastIndex()).as("seed %d round %d", seed, round).isBetween((long) durable, (long) model.size());
                model = new ArrayList<>(model.subList(0, (int) log.lastIndex()));
                if (log.lastIndex() >= log.firstIndex()) {
                    assertThat(log.read(log.firstIndex(), model.size() + 1, Long.MAX_VALUE)).as("seed %d", seed)
                            .containsExactlyElementsOf(model.subList((int) log.firstIndex() - 1, model.size()));
                }
                durable = model.size();
                for (int step = 0; step < 6; step++) {
                    int op = rnd.nextInt(10);
                    if (op < 6) {
                        int n = 1 + rnd.nextInt(8);
                        long start = model.size() + 1;
                        if (op == 0 && model.size() > 2) start = 1 + rnd.nextInt(model.size()); // conflict
                        term++;
                        List<LogRecord> batch = new ArrayList<>();
                        for (int i = 0; i < n; i++) batch.add(Records.record(start + i, term, rnd.nextInt(80)));
                        log.append(batch);
                        model = new ArrayList<>(model.subList(0, (int) start - 1));
                        model.addAll(batch);
                        // Truncation is durable at once; so is everything before it.
                        durable = Math.min(durable, (int) start - 1);
                    } else if (op == 6 && log.lastIndex() > log.firstIndex()) {
                        // Compaction below the last entry; it may or may not be durable, both are fine.
                        log.dropPrefix(log.firstIndex() + rnd.nextInt((int) (log.lastIndex() - log.firstIndex())));
                    } else {
                        log.sync();
                        durable = model.size();
                    }
                }
            }
            files.crash(true);
        }
    }
}
