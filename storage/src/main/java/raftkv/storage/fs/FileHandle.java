package raftkv.storage.fs;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

/** An open file with positional reads and writes; the storage code never relies on a file cursor. */
public interface FileHandle extends Closeable {

    long size() throws IOException;

    /** Reads up to {@code dst.remaining()} bytes at {@code position}; returns -1 at end of file. */
    int read(long position, ByteBuffer dst) throws IOException;

    /** Writes all of {@code src} at {@code position}, extending the file if needed. */
    void write(long position, ByteBuffer src) throws IOException;

    /** Cuts the file to {@code size} bytes (no-op if it is already that short). */
    void truncate(long size) throws IOException;

    /** Makes every write and truncation so far durable ({@code metadata}: also the file size etc.). */
    void force(boolean metadata) throws IOException;

    @Override
    void close() throws IOException;

    /** Reads exactly {@code dst.remaining()} bytes at {@code position} or throws EOFException. */
    default void readFully(long position, ByteBuffer dst) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = read(pos, dst);
            if (n < 0) throw new EOFException("end of file at offset " + pos);
            pos += n;
        }
    }
}
