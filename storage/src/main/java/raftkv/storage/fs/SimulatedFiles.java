package raftkv.storage.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.random.RandomGenerator;

/**
 * An in-memory {@link StorageFiles} for the deterministic simulator and crash tests. It models
 * what a real disk may do to unsynced data:
 * <ul>
 *   <li>file contents written since the last {@code force} are lost on {@link #crash};</li>
 *   <li>with {@code crash(true)}, a random prefix of the unsynced writes survives, the last of
 *       them torn at a random byte;</li>
 *   <li>creations, renames and deletions not followed by {@code syncDirectory} are undone;</li>
 *   <li>{@link #flipBit} damages stored bytes (synced or not).</li>
 * </ul>
 * Fully deterministic given the {@link RandomGenerator}. Handles opened before a crash fail
 * afterwards, as the process that held them is gone. Thread-safe (one lock).
 */
public final class SimulatedFiles implements StorageFiles {

    private sealed interface PendingOp permits Write, Truncate {
    }

    private record Write(long position, byte[] bytes) implements PendingOp {
    }

    private record Truncate(long size) implements PendingOp {
    }

    private static final class Inode {
        byte[] data = new byte[0];
        int size;
        byte[] durable = new byte[0];
        final List<PendingOp> pending = new ArrayList<>();
    }

    private final RandomGenerator random;
    private final Map<Path, Inode> live = new HashMap<>();
    private final Map<Path, Inode> durableNames = new HashMap<>();
    private final Set<Path> dirs = new TreeSet<>();
    private int generation;
    private long forceCount;

    public SimulatedFiles(RandomGenerator random) {
        this.random = random;
    }

    private static Path key(Path p) {
        return p.toAbsolutePath().normalize();
    }

    @Override
    public synchronized FileHandle open(Path file, boolean create) throws IOException {
        Path k = key(file);
        Inode inode = live.get(k);
        if (inode == null) {
            if (!create) throw new NoSuchFileException(file.toString());
            if (!dirs.contains(k.getParent())) throw new NoSuchFileException(k.getParent() + " (directory)");
            inode = new Inode();
            live.put(k, inode);
        }
        return new Handle(inode, generation, file);
    }

    @Override
    public synchronized boolean exists(Path file) {
        return live.containsKey(key(file));
    }

    @Override
    public synchronized List<Path> list(Path dir) {
        Path d = key(dir);
        List<Path> out = new ArrayList<>();
        for (Path p : live.keySet()) if (d.equals(p.getParent())) out.add(p);
        out.sort(null);
        return out;
    }

    @Override
    public synchronized void rename(Path from, Path to) throws IOException {
        Inode inode = live.remove(key(from));
        if (inode == null) throw new NoSuchFileException(from.toString());
        live.put(key(to), inode);
    }

    @Override
    public synchronized void delete(Path file) {
        live.remove(key(file));
    }

    @Override
    public synchronized void createDirectories(Path dir) throws IOException {
        Path d = key(dir);
        if (live.containsKey(d)) throw new FileAlreadyExistsException(dir + " is a file");
        for (Path p = d; p != null; p = p.getParent()) dirs.add(p);
    }

    @Override
    public synchronized void syncDirectory(Path dir) {
        Path d = key(dir);
        durableNames.keySet().removeIf(p -> d.equals(p.getParent()));
        for (Map.Entry<Path, Inode> e : live.entrySet()) {
            if (d.equals(e.getKey().getParent())) durableNames.put(e.getKey(), e.getValue());
        }
    }

    /**
     * Simulates power loss: only durable names and durable bytes remain. With {@code tear}, each
     * file keeps a random prefix of its unsynced writes, the last one cut at a random byte.
     */
    public synchronized void crash(boolean tear) {
        generation++;
        live.clear();
        Map<Inode, Boolean> seen = new IdentityHashMap<>();
        for (Map.Entry<Path, Inode> e : durableNames.entrySet()) {
            Inode inode = e.getValue();
            if (seen.put(inode, Boolean.TRUE) == null) settle(inode, tear);
            live.put(e.getKey(), inode);
        }
    }

    private void settle(Inode inode, boolean tear) {
        byte[] content = inode.durable.clone();
        int size = content.length;
        if (tear && !inode.pending.isEmpty()) {
            int keep = random.nextInt(inode.pending.size()); // ops kept whole; the next one is torn
            for (int i = 0; i <= keep; i++) {
                PendingOp op = inode.pending.get(i);
                switch (op) {
                    case Truncate t -> size = (int) Math.min(size, t.size());
                    case Write w -> {
                        int len = i < keep ? w.bytes().length : random.nextInt(w.bytes().length + 1);
                        int end = (int) w.position() + len;
                        if (content.length < end) content = Arrays.copyOf(content, end);
                        if (w.position() > size && len > 0) Arrays.fill(content, size, (int) w.position(), (byte) 0);
                        System.arraycopy(w.bytes(), 0, content, (int) w.position(), len);
                        if (len > 0) size = Math.max(size, end);
                    }
                }
            }
        }
        inode.data = Arrays.copyOf(content, size);
        inode.size = size;
        inode.durable = inode.data.clone();
        inode.pending.clear();
    }

    /** Flips one bit of a stored file, in both its current and its durable content. */
    public synchronized void flipBit(Path file, long offset, int bit) throws IOException {
        Inode inode = live.get(key(file));
        if (inode == null) throw new NoSuchFileException(file.toString());
        if (offset < 0 || offset >= inode.size) throw new IllegalArgumentException("offset " + offset + " outside file of " + inode.size + " bytes");
        inode.data[(int) offset] ^= (byte) (1 << (bit & 7));
        if (offset < inode.durable.length) inode.durable[(int) offset] ^= (byte) (1 << (bit & 7));
    }

    /** The current content of a file (for tests and assertions). */
    public synchronized byte[] contents(Path file) throws IOException {
        Inode inode = live.get(key(file));
        if (inode == null) throw new NoSuchFileException(file.toString());
        return Arrays.copyOf(inode.data, inode.size);
    }

    /** How many times {@code force} was called on any file. */
    public synchronized long forceCount() {
        return forceCount;
    }

    private final class Handle implements FileHandle {
        private final Inode inode;
        private final int openedIn;
        private final Path name;
        private boolean closed;

        Handle(Inode inode, int openedIn, Path name) {
            this.inode = inode;
            this.openedIn = openedIn;
            this.name = name;
        }

        private void check() throws IOException {
            if (closed) throw new IOException(name + " is closed");
            if (openedIn != generation) throw new IOException(name + " was opened before a simulated crash");
        }

        @Override
        public long size() throws IOException {
            synchronized (SimulatedFiles.this) {
                check();
                return inode.size;
            }
        }

        @Override
        public int read(long position, ByteBuffer dst) throws IOException {
            synchronized (SimulatedFiles.this) {
                check();
                if (position >= inode.size) return -1;
                int n = (int) Math.min(dst.remaining(), inode.size - position);
                dst.put(inode.data, (int) position, n);
                return n;
            }
        }

        @Override
        public void write(long position, ByteBuffer src) throws IOException {
            synchronized (SimulatedFiles.this) {
                check();
                byte[] bytes = new byte[src.remaining()];
                src.get(bytes);
                long end = position + bytes.length;
                if (end > Integer.MAX_VALUE - 8) throw new IOException("simulated file too large");
                if (end > inode.data.length) inode.data = Arrays.copyOf(inode.data, (int) Math.max(end, inode.data.length * 2L));
                if (position > inode.size) Arrays.fill(inode.data, inode.size, (int) position, (byte) 0);
                System.arraycopy(bytes, 0, inode.data, (int) position, bytes.length);
                inode.size = (int) Math.max(inode.size, end);
                inode.pending.add(new Write(position, bytes));
            }
        }

        @Override
        public void truncate(long size) throws IOException {
            synchronized (SimulatedFiles.this) {
                check();
                if (size < inode.size) {
                    inode.size = (int) size;
                    inode.pending.add(new Truncate(size));
                }
            }
        }

        @Override
        public void force(boolean metadata) throws IOException {
            synchronized (SimulatedFiles.this) {
                check();
                inode.durable = Arrays.copyOf(inode.data, inode.size);
                inode.pending.clear();
                forceCount++;
            }
        }

        @Override
        public void close() {
            synchronized (SimulatedFiles.this) {
                closed = true;
            }
        }
    }
}
