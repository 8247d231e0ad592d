package raftkv.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import raftkv.storage.fs.StorageFiles;

/**
 * Keeps {@link StoredHardState} in one small file, {@code hardstate}, replaced atomically
 * (temp file, fsync, rename, fsync directory): a vote, once {@link #save} returns, survives any
 * crash. Format: {@code [magic "RKHS":4][version:int][term:long][votedFor:int][commitIndex:long][crc32c:int]}.
 */
public final class HardStateStore {

    static final String FILE_NAME = "hardstate";
    private static final int MAGIC = 0x524B4853; // "RKHS"
    private static final int VERSION = 1;
    private static final int SIZE = 4 + 4 + 8 + 4 + 8 + 4;

    private final StorageFiles files;
    private final Path file;

    public HardStateStore(StorageFiles files, Path dir) throws IOException {
        this.files = files;
        files.createDirectories(dir);
        this.file = dir.resolve(FILE_NAME);
    }

    /** The saved state, or {@link StoredHardState#INITIAL} if none was ever saved. */
    public StoredHardState load() throws IOException {
        if (!files.exists(file)) return StoredHardState.INITIAL;
        ByteBuffer b = AtomicFile.readAll(files, file, SIZE);
        if (b.limit() != SIZE) throw new CorruptLogException(file, b.limit(), "hard state file is " + b.limit() + " bytes, expected " + SIZE);
        if (b.getInt(0) != MAGIC) throw new CorruptLogException(file, 0, "bad magic in hard state file");
        if (b.getInt(4) != VERSION) throw new CorruptLogException(file, 4, "unsupported hard state format version " + b.getInt(4));
        CRC32C crc = new CRC32C();
        crc.update(b.slice(0, SIZE - 4));
        if ((int) crc.getValue() != b.getInt(SIZE - 4)) throw new CorruptLogException(file, SIZE - 4, "hard state checksum mismatch");
        try {
            return new StoredHardState(b.getLong(8), b.getInt(16), b.getLong(20));
        } catch (IllegalArgumentException e) {
            throw new CorruptLogException(file, 8, "hard state values are invalid: " + e.getMessage());
        }
    }

    /** Durably replaces the stored state; returns only once it would survive a crash. */
    public void save(StoredHardState hs) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        b.putInt(MAGIC).putInt(VERSION).putLong(hs.term()).putInt(hs.votedFor()).putLong(hs.commitIndex());
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, SIZE - 4);
        b.putInt((int) crc.getValue());
        AtomicFile.write(files, file, b.flip());
    }
}
