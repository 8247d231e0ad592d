package raftkv.storage.fs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The few file-system operations durable storage needs. Two implementations: {@link RealFiles}
 * (java.nio) and {@link SimulatedFiles} (in memory, loses unsynced data on {@code crash()}).
 *
 * <p>Durability contract, as on a POSIX file system: file contents are durable only after
 * {@link FileHandle#force}; creations, renames and deletions only after {@link #syncDirectory}
 * of the containing directory.
 */
public interface StorageFiles {

    /** Opens a file for reading and writing; creates it (empty) if {@code create} and absent. */
    FileHandle open(Path file, boolean create) throws IOException;

    boolean exists(Path file);

    /** Regular files directly inside {@code dir}, sorted by name; empty if the directory is absent. */
    List<Path> list(Path dir) throws IOException;

    /** Atomically renames {@code from} to {@code to}, replacing {@code to} if it exists. */
    void rename(Path from, Path to) throws IOException;

    /** Deletes the file if it exists. */
    void delete(Path file) throws IOException;

    void createDirectories(Path dir) throws IOException;

    /** Makes creations, renames and deletions inside {@code dir} durable. */
    void syncDirectory(Path dir) throws IOException;
}
