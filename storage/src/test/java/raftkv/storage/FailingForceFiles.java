package raftkv.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

import raftkv.storage.fs.FileHandle;
import raftkv.storage.fs.StorageFiles;

/** Delegates everything, but every {@code force} fails once {@link #failing} is set (a dying disk). */
final class FailingForceFiles implements StorageFiles {

    private final StorageFiles d;
    volatile boolean failing;

    FailingForceFiles(StorageFiles delegate) {
        this.d = delegate;
    }

    @Override
    public FileHandle open(Path file, boolean create) throws IOException {
        FileHandle h = d.open(file, create);
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
                if (failing) throw new IOException("injected fsync failure on " + file.getFileName());
                h.force(metadata);
            }

            @Override
            public void close() throws IOException {
                h.close();
            }
        };
    }

    @Override
    public boolean exists(Path file) {
        return d.exists(file);
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        return d.list(dir);
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        d.rename(from, to);
    }

    @Override
    public void delete(Path file) throws IOException {
        d.delete(file);
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        d.createDirectories(dir);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        d.syncDirectory(dir);
    }
}
