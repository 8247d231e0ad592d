package raftkv.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import raftkv.storage.fs.FileHandle;
import raftkv.storage.fs.SimulatedFiles;

/**
 * Seeded fuzzing of recovery over mutated and random segment files: opening either succeeds (and
 * every entry then reads back) or throws {@link CorruptLogException}; nothing else escapes, and
 * nothing is allocated beyond the files' own sizes. The timeout only guards against hangs.
 */
class SegmentReaderFuzzTest {

    private static final Path DIR = Path.of("/fuzz/wal");
    private static final WalOptions OPTIONS = new WalOptions(700, 1 << 12);
    private static final int CASES = 3000;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void recoveryOnlyEverOpensOrReportsCorruption() throws IOException {
        List<byte[]> pristine = pristineSegments();
        List<String> names = pristineNames();
        int opened = 0;
        int refused = 0;
        for (int c = 0; c < CASES; c++) {
            SplittableRandom rnd = new SplittableRandom(c);
            List<byte[]> mutated = new ArrayList<>();
            for (byte[] b : pristine) mutated.add(b.clone());
            int victim = rnd.nextInt(mutated.size());
            mutated.set(victim, mutate(mutated.get(victim), rnd));
            if (rnd.nextInt(10) == 0) mutated.set(victim, randomBytes(rnd, rnd.nextInt(2000)));
            SimulatedFiles files = install(names, mutated);
            try (SegmentedLog log = SegmentedLog.open(files, DIR, OPTIONS)) {
                opened++;
                if (log.lastIndex() >= log.firstIndex()) {
                    assertThat(log.read(log.firstIndex(), log.lastIndex() + 1, Long.MAX_VALUE))
                            .hasSize((int) (log.lastIndex() - log.firstIndex() + 1));
                }
            } catch (CorruptLogException e) {
                refused++;
                assertThat(e.getMessage()).contains(e.file().toString()).contains("offset " + e.offset());
            } catch (Throwable t) {
                fail("case " + c + " threw " + t, t);
            }
        }
        assertThat(opened).isPositive();
        assertThat(refused).isPositive();
    }

    @Test
    void hugeLengthFieldIsRejectedWithoutAllocating() throws IOException {
        List<byte[]> segs = pristineSegments();
        byte[] last = segs.get(segs.size() - 1);
        ByteBuffer.wrap(last).putInt(SegmentHeader.SIZE, Integer.MAX_VALUE);
        SimulatedFiles files = install(pristineNames(), segs);
        try (SegmentedLog log = SegmentedLog.open(files, DIR, OPTIONS)) {
            fail("opened a log whose record claims 2 GiB: last index " + log.lastIndex());
        } catch (CorruptLogException e) {
            assertThat(e.getMessage()).contains("invalid record length " + Integer.MAX_VALUE);
        }
    }

    private static byte[] mutate(byte[] b, SplittableRandom rnd) {
        int kind = rnd.nextInt(7);
        return switch (kind) {
            case 0 -> { // flip a few bits
                for (int i = 0, n = 1 + rnd.nextInt(4); i < n && b.length > 0; i++) b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
                yield b;
            }
            case 1 -> Arrays.copyOf(b, rnd.nextInt(b.length + 1)); // truncate anywhere
            case 2 -> { // extend with junk or zeros
                byte[] tail = rnd.nextBoolean() ? new byte[rnd.nextInt(300)] : randomBytes(rnd, rnd.nextInt(300));
                byte[] out = Arrays.copyOf(b, b.length + tail.length);
                System.arraycopy(tail, 0, out, b.length, tail.length);
                yield out;
            }
            case 3 -> { // overwrite a range with random bytes
                if (b.length > 0) {
                    int at = rnd.nextInt(b.length);
                    byte[] junk = randomBytes(rnd, Math.min(b.length - at, 1 + rnd.nextInt(40)));
                    System.arraycopy(junk, 0, b, at, junk.length);
                }
                yield b;
            }
            case 4 -> { // absurd length field at a random 4-byte position
                if (b.length >= 4) {
                    int at = rnd.nextInt(b.length - 3);
                    int[] choices = {Integer.MAX_VALUE, Integer.MIN_VALUE, -1, 0, 15, 1 << 20, b.length};
                    ByteBuffer.wrap(b).putInt(at, choices[rnd.nextInt(choices.length)]);
                }
                yield b;
            }
            case 5 -> { // zero a range
                if (b.length > 0) {
                    int at = rnd.nextInt(b.length);
                    Arrays.fill(b, at, Math.min(b.length, at + 1 + rnd.nextInt(100)), (byte) 0);
                }
                yield b;
            }
            default -> randomBytes(rnd, rnd.nextInt(1000));
        };
    }

    private static byte[] randomBytes(SplittableRandom rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    private static SimulatedFiles install(List<String> names, List<byte[]> contents) throws IOException {
        SimulatedFiles files = new SimulatedFiles(new SplittableRandom(0));
        files.createDirectories(DIR);
        for (int i = 0; i < names.size(); i++) {
            try (FileHandle h = files.open(DIR.resolve(names.get(i)), true)) {
                h.write(0, ByteBuffer.wrap(contents.get(i)));
            }
        }
        return files;
    }

    private static SimulatedFiles pristine() throws IOException {
        SimulatedFiles files = new SimulatedFiles(new SplittableRandom(0));
        try (SegmentedLog log = SegmentedLog.open(files, DIR, OPTIONS)) {
            log.append(Records.range(1, 60, 1, 90));
            log.sync();
        }
        return files;
    }

    private static List<String> pristineNames() throws IOException {
        return pristine().list(DIR).stream().map(p -> p.getFileName().toString()).toList();
    }

    private static List<byte[]> pristineSegments() throws IOException {
        SimulatedFiles files = pristine();
        List<byte[]> out = new ArrayList<>();
        for (Path p : files.list(DIR)) out.add(files.contents(p));
        assertThat(out).hasSizeGreaterThan(3);
        return out;
    }
}
