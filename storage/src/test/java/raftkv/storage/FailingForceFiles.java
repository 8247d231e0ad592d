package raftkv.storage;

import java.io.IOException;
import java.nio.file.Path;

import raftkv.storage.fs.FileHandle;
import raftkv.storage.fs.ForwardingFileHandle;
import raftkv.storage.fs.ForwardingFiles;
import raftkv.storage.fs.StorageFiles;

/** Delegates everything, but every {@code force} fails once {@link #failing} is set (a dying disk). */
final class FailingForceFiles extends ForwardingFiles {

    volatile boolean failing;

    FailingForceFiles(StorageFiles delegate) {
        super(delegate);
    }

    @Override
    public FileHandle open(Path file, boolean create) throws IOException {
        return new ForwardingFileHandle(super.open(file, create)) {
            @Override
            public void force(boolean metadata) throws IOException {
                if (failing) throw new IOException("injected fsync failure on " + file.getFileName());
                super.force(metadata);
            }
        };
    }
}
