package raftkv.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import raftkv.storage.fs.RealFiles;

/** Crash recovery on real files: torn tails are cut, anything else is refused untouched. */
class RecoveryTest {

    private static final WalOptions SMALL = new WalOptions(300, 1 << 16);

    @TempDir
    Path root;

    private static SegmentedLog open(Path dir) throws IOException {
        return SegmentedLog.open(RealFiles.INSTANCE, dir, SMALL);
    }

    /** Writes records 1..n (payloads up to 40 bytes, several segments) and returns the files. */
    private static List<Path> writeLog(Path dir, int n) throws IOException {
        try (SegmentedLog log = open(dir)) {
            log.append(Records.range(1, n + 1, 2, 40));
            log.sync();
        }
        return RealFiles.INSTANCE.list(dir);
    }

    private static Path last(List<Path> files) {
        return files.get(files.size() - 1);
    }

    @Test
    void tornTailAtEveryByteOfTheLastRecordRecoversToTheLastWholeRecord() throws IOException {
        int n = 30;
        LogRecord lastRecord = Records.range(n, n + 1, 2, 40).get(0);
        int frame = RecordCodec.frameSize(lastRecord);
        for (int keep = 0; keep < frame; keep++) {
            Path dir = root.resolve("torn-" + keep);
            Path seg = last(writeLog(dir, n));
            long full = Files.size(seg);
            long lastStart = full - frame;
            try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
                f.setLength(lastStart + keep);
            }
            try (SegmentedLog log = open(dir)) {
                assertThat(log.lastIndex()).as("cut after %d bytes", keep).isEqualTo(n - 1);
                assertThat(log.read(1, n, Long.MAX_VALUE)).containsExactlyElementsOf(Records.range(1, n, 2, 40));
            }
            assertThat(Files.size(seg)).isEqualTo(lastStart);
        }
    }

    @Test
    void zeroFilledTailAndBadChecksumOfTheFinalRecordAreTornTails() throws IOException {
        Path dir = root.resolve("zeros");
        Path seg = last(writeLog(dir, 30));
        long size = Files.size(seg);
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.setLength(size + 4096);
        }
        try (SegmentedLog log = open(dir)) {
            assertThat(log.lastIndex()).isEqualTo(30);
        }
        assertThat(Files.size(seg)).isEqualTo(size);

        flipByte(seg, size - 1); // last payload byte of record 30
        try (SegmentedLog log = open(dir)) {
            assertThat(log.lastIndex()).isEqualTo(29);
            log.append(Records.range(30, 32, 3, 10));
            log.sync();
        }
        try (SegmentedLog log = open(dir)) {
            assertThat(log.termAt(31)).isEqualTo(3);
        }
    }

    @Test
    void flippedByteInANonLastRecordOfTheLastSegmentIsCorruption() throws IOException {
        Path dir = root.resolve("mid");
        Path seg = last(writeLog(dir, 30));
        long offset = SegmentHeader.SIZE + 12; // inside the first record's payload
        flipByte(seg, offset);
        byte[] before = Files.readAllBytes(seg);
        assertThatThrownBy(() -> open(dir))
                .isInstanceOf(CorruptLogException.class)
                .hasMessageContaining(seg.toString())
                .hasMessageContaining("offset " + SegmentHeader.SIZE)
                .hasMessageContaining("valid record follows");
        assertThat(Files.readAllBytes(seg)).isEqualTo(before);
    }

    @Test
    void damageToTheLastRecordOfAnEarlierSegmentIsCorruption() throws IOException {
        Path dir = root.resolve("early");
        List<Path> files = writeLog(dir, 30);
        Path first = files.get(0);
        long size = Files.size(first);
        flipByte(first, size - 1);
        byte[] before = Files.readAllBytes(first);
        long lastBefore = Files.size(last(files));
        CorruptLogException e = org.junit.jupiter.api.Assertions.assertThrows(CorruptLogException.class, () -> open(dir));
        assertThat(e.file()).isEqualTo(first);
        assertThat(e.getMessage()).contains(first.toString()).contains("checksum");
        assertThat(Files.readAllBytes(first)).isEqualTo(before);
        assertThat(Files.size(last(files))).isEqualTo(lastBefore);
    }

    @Test
    void missingSegmentIsRefused() throws IOException {
        Path dir = root.resolve("gap");
        List<Path> files = writeLog(dir, 30);
        assertThat(files.size()).isGreaterThanOrEqualTo(3);
        Files.delete(files.get(1));
        assertThatThrownBy(() -> open(dir))
                .isInstanceOf(CorruptLogException.class)
                .hasMessageContaining("missing segment")
                .hasMessageContaining(files.get(0).toString());
        assertThat(RealFiles.INSTANCE.list(dir)).hasSize(files.size() - 1);
    }

    @Test
    void unknownVersionAndBadMagicAreRefused() throws IOException {
        Path dir = root.resolve("version");
        List<Path> files = writeLog(dir, 30);
        try (RandomAccessFile f = new RandomAccessFile(files.get(0).toFile(), "rw")) {
            f.seek(4);
            f.writeInt(99);
        }
        assertThatThrownBy(() -> open(dir))
                .isInstanceOf(CorruptLogException.class)
                .hasMessageContaining("version 99")
                .hasMessageContaining(files.get(0) + " at byte offset 4");

        Path dir2 = root.resolve("magic");
        List<Path> files2 = writeLog(dir2, 30);
        flipByte(last(files2), 0);
        assertThatThrownBy(() -> open(dir2))
                .isInstanceOf(CorruptLogException.class)
                .hasMessageContaining("bad magic")
                .hasMessageContaining(last(files2) + " at byte offset 0");
    }

    @Test
    void leftoverTempSegmentFromACrashDuringRollIsIgnoredAndRemoved() throws IOException {
        Path dir = root.resolve("tmp");
        writeLog(dir, 10);
        Path tmp = dir.resolve(Segment.fileName(11) + SegmentedLog.TMP_SUFFIX);
        Files.write(tmp, new byte[] {1, 2, 3});
        try (SegmentedLog log = open(dir)) {
            assertThat(log.lastIndex()).isEqualTo(10);
        }
        assertThat(Files.exists(tmp)).isFalse();
    }

    private static void flipByte(Path file, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x40);
        }
    }
}
