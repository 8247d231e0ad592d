package raftkv.storage.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Semaphore;

import raftkv.storage.fs.FileHandle;
import raftkv.storage.fs.StorageFiles;

/**
 * Delegates to other files, with two faults for tests: while {@link #gateLog} is set, each fsync
 * of a log segment ({@code *.wal}) waits for a permit from {@link #release}, so a test can hold
 * the I/O thread inside an fsync; while {@link #failing} is set every fsync fails, while
 * {@link #failingLog} is set those of log segments.
 */
final class GatedFiles implements StorageFiles {

    private final StorageFiles d;
    private final Semaphore permits = new Semaphore(0);
    private final Semaphore entered = new Semaphore(0);
    volatile boolean gateLog;
    volatile boolean failing;
    /** Only fsyncs of log segments fail (the hard state and snapshot files still work). */
    volatile boolean failingLog;

    GatedFiles(StorageFiles delegate) {
        this.d = delegate;
    }

    /** Lets one waiting (or the next) log fsync proceed. */
    void release() {
        permits.release();
    }

    /** Waits until some log fsync is being held at the gate. */
    void awaitHeld() throws InterruptedException {
        if (!entered.tryAcquire(30, java.util.concurrent.TimeUnit.SECONDS)) throw new AssertionError("no fsync reached the gate");
    }

    @Override
    public FileHandle open(Path file, boolean create) throws IOException {
        FileHandle h = d.open(file, create);
        boolean segment = file.getFileName().toString().endsWith(".wal");
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
                if (segment && gateLog) {
                    entered.release();
                    permits.acquireUninterruptibly();
                }
                if (failing || segment && failingLog) throw new IOException("injected fsync failure on " + file.getFileName());
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
        if (failing) throw new IOException("injected directory fsync failure on " + dir);
        d.syncDirectory(dir);
    }
}
