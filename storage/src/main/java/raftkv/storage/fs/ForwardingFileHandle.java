package raftkv.storage.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Base for wrappers that change one or two behaviours of another {@link FileHandle}: every
 * method forwards to the delegate, so a subclass overrides only what it changes.
 *
 * <p>{@link #readFully} is deliberately not forwarded: the interface's default loops over
 * {@link #read} of this wrapper, so an overridden {@code read} also applies to it.
 */
public abstract class ForwardingFileHandle implements FileHandle {

    private final FileHandle delegate;

    protected ForwardingFileHandle(FileHandle delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The wrapped handle. */
    protected final FileHandle delegate() {
        return delegate;
    }

    @Override
    public long size() throws IOException {
        return delegate.size();
    }

    @Override
    public int read(long position, ByteBuffer dst) throws IOException {
        return delegate.read(position, dst);
    }

    @Override
    public void write(long position, ByteBuffer src) throws IOException {
        delegate.write(position, src);
    }

    @Override
    public void truncate(long size) throws IOException {
        delegate.truncate(size);
    }

    @Override
    public void force(boolean metadata) throws IOException {
        delegate.force(metadata);
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
