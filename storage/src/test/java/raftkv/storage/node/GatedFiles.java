package raftkv.storage.node;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import raftkv.storage.fs.FileHandle;
import raftkv.storage.fs.ForwardingFileHandle;
import raftkv.storage.fs.ForwardingFiles;
import raftkv.storage.fs.StorageFiles;

/**
 * Delegates to other files, with two faults for tests: while {@link #gateLog} is set, each fsync
 * of a log segment ({@code *.wal}) waits for a permit from {@link #release}, so a test can hold
 * the I/O thread inside an fsync; while {@link #failing} is set every fsync fails, while
 * {@link #failingLog} is set those of log segments.
 */
final class GatedFiles extends ForwardingFiles {

    private final Semaphore permits = new Semaphore(0);
    private final Semaphore entered = new Semaphore(0);
    volatile boolean gateLog;
    volatile boolean failing;
    /** Only fsyncs of log segments fail (the hard state and snapshot files still work). */
    volatile boolean failingLog;

    GatedFiles(StorageFiles delegate) {
        super(delegate);
    }

    /** Lets one waiting (or the next) log fsync proceed. */
    void release() {
        permits.release();
    }

    /** Waits until some log fsync is being held at the gate. */
    void awaitHeld() throws InterruptedException {
        if (!entered.tryAcquire(30, TimeUnit.SECONDS)) throw new AssertionError("no fsync reached the gate");
    }

    @Override
    public FileHandle open(Path file, boolean create) throws IOException {
        boolean segment = file.getFileName().toString().endsWith(".wal");
        return new ForwardingFileHandle(super.open(file, create)) {
            @Override
            public void force(boolean metadata) throws IOException {
                if (segment && gateLog) {
                    entered.release();
                    permits.acquireUninterruptibly();
                }
                if (failing || segment && failingLog) throw new IOException("injected fsync failure on " + file.getFileName());
                super.force(metadata);
            }
        };
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        if (failing) throw new IOException("injected directory fsync failure on " + dir);
        super.syncDirectory(dir);
    }
}
