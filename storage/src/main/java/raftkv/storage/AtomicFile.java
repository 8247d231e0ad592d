package raftkv.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

import raftkv.storage.fs.FileHandle;
import raftkv.storage.fs.StorageFiles;

/**
 * Replace-by-rename: write {@code name.tmp}, fsync it, rename over {@code name}, fsync the
 * directory. After a crash either the old or the new content is there, never a mix.
 */
final class AtomicFile {

    static final String TMP_SUFFIX = ".tmp";

    private AtomicFile() {
    }

    static void write(StorageFiles files, Path target, ByteBuffer content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + TMP_SUFFIX);
        files.delete(tmp);
        try (FileHandle h = files.open(tmp, true)) {
            h.write(0, content);
            h.force(true);
        }
        files.rename(tmp, target);
        files.syncDirectory(target.getParent());
    }

    /** Whole content of a file, refusing anything larger than {@code maxBytes}. */
    static ByteBuffer readAll(StorageFiles files, Path file, long maxBytes) throws IOException {
        try (FileHandle h = files.open(file, false)) {
            long size = h.size();
            if (size > maxBytes) throw new CorruptLogException(file, 0, "file is " + size + " bytes, more than the " + maxBytes + " expected at most");
            ByteBuffer buf = ByteBuffer.allocate((int) size);
            h.readFully(0, buf);
            return buf.flip();
        }
    }
}
