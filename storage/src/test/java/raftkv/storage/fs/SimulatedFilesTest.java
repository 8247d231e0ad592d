package raftkv.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class SimulatedFilesTest {

    private final Path dir = Path.of("/d");
    private final Path a = dir.resolve("a");

    private static ByteBuffer bytes(int n, int value) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) value);
        return ByteBuffer.wrap(b);
    }

    @Test
    void unsyncedBytesAndUnsyncedNamesAreLostOnCrash() throws IOException {
        SimulatedFiles fs = new SimulatedFiles(new SplittableRandom(1));
        fs.createDirectories(dir);
        try (FileHandle h = fs.open(a, true)) {
            h.write(0, bytes(10, 1));
            h.force(true);
            h.write(10, bytes(10, 2));
        }
        fs.syncDirectory(dir);
        fs.open(dir.resolve("never-synced"), true).close();
        fs.crash(false);
        assertThat(fs.contents(a)).hasSize(10).containsOnly(1);
        assertThat(fs.exists(dir.resolve("never-synced"))).isFalse();
    }

    @Test
    void renameAndDeleteWithoutDirectorySyncAreUndone() throws IOException {
        SimulatedFiles fs = new SimulatedFiles(new SplittableRandom(1));
        fs.createDirectories(dir);
        try (FileHandle h = fs.open(a, true)) {
            h.write(0, bytes(4, 7));
            h.force(true);
        }
        fs.syncDirectory(dir);
        fs.rename(a, dir.resolve("b"));
        fs.crash(false);
        assertThat(fs.exists(a)).isTrue();
        assertThat(fs.exists(dir.resolve("b"))).isFalse();
        fs.delete(a);
        fs.crash(false);
        assertThat(fs.contents(a)).containsOnly(7);
    }

    @Test
    void tornCrashKeepsARandomPrefixOfTheUnsyncedWritesAndIsDeterministic() throws IOException {
        Set<Integer> sizes = new HashSet<>();
        for (int seed = 0; seed < 40; seed++) {
            int size1 = tornSize(seed);
            assertThat(tornSize(seed)).isEqualTo(size1);
            assertThat(size1).isBetween(10, 30);
            sizes.add(size1);
        }
        assertThat(sizes.size()).isGreaterThan(5);
    }

    private int tornSize(int seed) throws IOException {
        SimulatedFiles fs = new SimulatedFiles(new SplittableRandom(seed));
        fs.createDirectories(dir);
        try (FileHandle h = fs.open(a, true)) {
            h.write(0, bytes(10, 1));
            h.force(true);
            h.write(10, bytes(10, 2));
            h.write(20, bytes(10, 3));
        }
        fs.syncDirectory(dir);
        fs.crash(true);
        byte[] c = fs.contents(a);
        for (int i = 0; i < c.length; i++) assertThat(c[i]).isEqualTo((byte) (1 + i / 10));
        return c.length;
    }

    @Test
    void handlesFromBeforeACrashAreDeadAndBitFlipsStick() throws IOException {
        SimulatedFiles fs = new SimulatedFiles(new SplittableRandom(1));
        fs.createDirectories(dir);
        FileHandle h = fs.open(a, true);
        h.write(0, bytes(4, 0));
        h.force(true);
        fs.syncDirectory(dir);
        fs.flipBit(a, 2, 0);
        fs.crash(false);
        assertThat(fs.contents(a)).containsExactly(0, 0, 1, 0);
        assertThatThrownBy(() -> h.write(0, bytes(1, 1))).hasMessageContaining("crash");
    }
}
