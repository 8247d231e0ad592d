package raftkv.sim;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

import raftkv.storage.fs.FileHandle;
import raftkv.storage.fs.ForwardingFileHandle;
import raftkv.storage.fs.ForwardingFiles;
import raftkv.storage.fs.SimulatedFiles;

/**
 * A node's {@link SimulatedFiles}, which can play the last moments of a dying process. Normally
 * everything is passed through. Just before a crash the simulator calls {@link #dying()} and lets
 * the node's in-flight writes run: they reach the files unsynced until the first {@code force} or
 * {@code syncDirectory}, where the process is stuck when the power goes. That call and every file
 * content change after it do nothing (directory changes after it pass, as nothing syncs them and
 * the crash undoes them). So the crash can lose or tear what was written before the barrier, and
 * nothing issued after it exists; this keeps the storage's ordering (e.g. delete later segments,
 * sync the directory, then truncate) as a real disk would. Nothing is acknowledged meanwhile: the
 * node is already dead. {@link #powerBack()} restores normal operation.
 */
final class SyncSwitchFiles extends ForwardingFiles {
    private final SimulatedFiles files;
    private boolean dying;
    private boolean frozen;

    SyncSwitchFiles(SimulatedFiles files) {
        super(files);
        this.files = files;
    }

    void dying() {
        dying = true;
    }

    /** The dying process reached a sync barrier: nothing it does from now on reaches the files. */
    boolean frozen() {
        return frozen;
    }

    void powerBack() {
        dying = false;
        frozen = false;
    }

    /** Whether a sync may happen; in a dying process the first one freezes it instead. */
    private boolean mayPass() {
        if (!dying) return true;
        frozen = true;
        return false;
    }

    SimulatedFiles files() {
        return files;
    }

    @Override
    public FileHandle open(Path file, boolean create) throws IOException {
        return new ForwardingFileHandle(super.open(file, create)) {
            @Override
            public void write(long position, ByteBuffer src) throws IOException {
                if (frozen) {
                    src.position(src.limit());
                    return;
                }
                super.write(position, src);
            }

            @Override
            public void truncate(long size) throws IOException {
                if (!frozen) super.truncate(size);
            }

            @Override
            public void force(boolean metadata) throws IOException {
                if (mayPass()) super.force(metadata);
            }
        };
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        if (mayPass()) super.syncDirectory(dir);
    }
}
