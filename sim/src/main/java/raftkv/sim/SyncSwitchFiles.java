package raftkv.sim;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

import raftkv.storage.fs.FileHandle;
import raftkv.storage.fs.SimulatedFiles;
import raftkv.storage.fs.StorageFiles;

/**
 * A node's {@link SimulatedFiles} with a switch for fsync. On (normal operation), everything is
 * passed through. Off, {@code force} and {@code syncDirectory} do nothing: the simulator turns
 * syncing off just before a crash to write the node's in-flight writes, so that the crash can
 * lose or tear them as it would lose or tear bytes that were written but whose fsync had not
 * returned. Nothing is acknowledged while syncing is off (the node is already dead).
 */
final class SyncSwitchFiles implements StorageFiles {
    private final SimulatedFiles files;
    private boolean syncing = true;

    SyncSwitchFiles(SimulatedFiles files) {
        this.files = files;
    }

    void syncing(boolean on) {
        syncing = on;
    }

    SimulatedFiles files() {
        return files;
    }

    @Override
    public FileHandle open(Path file, boolean create) throws IOException {
        FileHandle h = files.open(file, create);
        return new FileHandle() {
            @Override
            public long size() throws IOException {
                return h.size();
            }

            @Override
            public int read(long position, ByteBuffer dst) throws IOException {
                return h.read(position, dst);
            }

            @Override
            public void write(long position, ByteBuffer src) throws IOException {
                h.write(position, src);
            }

            @Override
            public void truncate(long size) throws IOException {
                h.truncate(size);
            }

            @Override
            public void force(boolean metadata) throws IOException {
                if (syncing) h.force(metadata);
            }

            @Override
            public void close() throws IOException {
                h.close();
            }
        };
    }

    @Override
    public boolean exists(Path file) {
        return files.exists(file);
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        return files.list(dir);
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        files.rename(from, to);
    }

    @Override
    public void delete(Path file) throws IOException {
        files.delete(file);
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        files.createDirectories(dir);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        if (syncing) files.syncDirectory(dir);
    }
}
