package raftkv.storage;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Stored data is damaged in a way that is not a torn tail from a crash: a bad checksum before the
 * end of the last segment, a missing segment, a bad magic number or an unknown format version.
 * Opening refuses to continue and changes nothing on disk; an operator has to decide (restore the
 * node from a peer, or move the damaged files away). The message always names the file and the
 * byte offset, which are also available as {@link #file()} and {@link #offset()}.
 */
public final class CorruptLogException extends IOException {

    private final Path file;
    private final long offset;

    public CorruptLogException(Path file, long offset, String problem) {
        super(file + " at byte offset " + offset + ": " + problem);
        this.file = file;
        this.offset = offset;
    }

    public Path file() {
        return file;
    }

    public long offset() {
        return offset;
    }
}
