package raftkv.storage.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** {@link StorageFiles} on the real file system through {@link FileChannel}. */
public final class RealFiles implements StorageFiles {

    public static final RealFiles INSTANCE = new RealFiles();

    private RealFiles() {
    }

    @Override
    public FileHandle open(Path file, boolean create) throws IOException {
        FileChannel ch = create
                ? FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE)
                : FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new ChannelHandle(ch);
    }

    @Override
    public boolean exists(Path file) {
        return Files.exists(file);
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return new ArrayList<>(s.filter(Files::isRegularFile).sorted().toList());
        }
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void delete(Path file) throws IOException {
        Files.deleteIfExists(file);
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        Files.createDirectories(dir);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        // On Linux a directory can be opened read-only and fsynced; this persists its entries.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (NoSuchFileException e) {
            throw e; // a missing directory is a real error everywhere
        } catch (IOException e) {
            // Some platforms (Windows) cannot open directories; there is nothing more we can do.
            if (!System.getProperty("os.name", "").toLowerCase().contains("win")) throw e;
        }
    }

    private record ChannelHandle(FileChannel ch) implements FileHandle {
        @Override
        public long size() throws IOException {
            return ch.size();
        }

        @Override
        public int read(long position, ByteBuffer dst) throws IOException {
            return ch.read(dst, position);
        }

        @Override
        public void write(long position, ByteBuffer src) throws IOException {
            long pos = position;
            while (src.hasRemaining()) pos += ch.write(src, pos);
        }

        @Override
        public void truncate(long size) throws IOException {
            ch.truncate(size);
        }

        @Override
        public void force(boolean metadata) throws IOException {
            ch.force(metadata);
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }
}
