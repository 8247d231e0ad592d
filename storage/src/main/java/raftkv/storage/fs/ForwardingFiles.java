package raftkv.storage.fs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Base for wrappers that change one or two behaviours of other {@link StorageFiles} (fault
 * injection in tests, the simulator's dying process): every method forwards to the delegate, so
 * a subclass overrides only what it changes. To change how opened files behave, override
 * {@link #open} and wrap {@code super.open(...)} in a {@link ForwardingFileHandle}.
 */
public abstract class ForwardingFiles implements StorageFiles {

    private final StorageFiles delegate;

    protected ForwardingFiles(StorageFiles delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The wrapped files. */
    protected final StorageFiles delegate() {
        return delegate;
    }

    @Override
    public FileHandle open(Path file, boolean create) throws IOException {
        return delegate.open(file, create);
    }

    @Override
    public boolean exists(Path file) {
        return delegate.exists(file);
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        return delegate.list(dir);
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        delegate.rename(from, to);
    }

    @Override
    public void delete(Path file) throws IOException {
        delegate.delete(file);
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        delegate.createDirectories(dir);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        delegate.syncDirectory(dir);
    }
}
