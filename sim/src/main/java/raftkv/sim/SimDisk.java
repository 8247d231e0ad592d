package raftkv.sim;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

import raftkv.node.EventLoop;
import raftkv.node.VirtualScheduler;
import raftkv.storage.CorruptLogException;
import raftkv.storage.WalOptions;
import raftkv.storage.fs.SimulatedFiles;
import raftkv.storage.node.DurableStorage;

/**
 * A node's disk, which outlives the node's incarnations: the storage module's real
 * {@link DurableStorage} over {@link SimulatedFiles}. A crash writes the node's in-flight writes
 * unsynced and then loses power with torn writes ({@code crash(true)}); the next start recovers
 * through {@link DurableStorage#open}, which cuts a torn tail. A {@link BitFlip} planted inside
 * the log must make the next start refuse, with a {@link CorruptLogException} that names the
 * file and the offset of the damaged record and deletes nothing.
 */
final class SimDisk {
    static final Path DIR = Path.of("/node");
    private static final Path WAL = DIR.resolve("wal");

    private final SimulatedFiles files;
    private final SyncSwitchFiles switchable;
    private final WalOptions wal;
    private final DiskContext context;

    private LaggingStorage current;
    private boolean crashed;
    /** Each log segment's content when the last crash struck, before the in-flight writes. */
    private Map<Path, byte[]> syncedAtCrash = Map.of();
    /** Planted by {@link #flip}: the next open must refuse because of it. */
    private BitFlip planted;
    private int inFlightAtCrashes;
    private int recoveries;
    private int tornTailsCut;
    private int refusedStarts;
    private String lastRefusal;

    SimDisk(RandomGenerator rng, WalOptions wal, VirtualScheduler time, LongSupplier fsyncDelay, Trace trace,
            String name, Consumer<String> defect, Consumer<String> violation, boolean ackBeforeFsync) {
        this.files = new SimulatedFiles(rng);
        this.switchable = new SyncSwitchFiles(files);
        this.wal = wal;
        this.context = new DiskContext(time, fsyncDelay, trace, name, defect, violation, ackBeforeFsync);
    }

    /**
     * Opens (after a crash: recovers) the storage for a new incarnation whose loop is {@code loop}.
     * {@code ackBeforeFsync} is a deliberate bug for tests of the harness (see
     * {@link LaggingStorage}). Returns null if the node cannot start: the expected refusal of a planted flip (traced and
     * counted), or anything else (reported as a violation). Either way it must stay down.
     */
    LaggingStorage open(EventLoop loop) {
        Path last = lastSegment();
        long sizeBefore = last == null ? 0 : BitFlip.contents(files, last).length;
        Map<Path, byte[]> before = planted == null ? Map.of() : everything();
        DurableStorage durable;
        try {
            durable = DurableStorage.open(switchable, DIR, wal, false, loop);
        } catch (CorruptLogException e) {
            refused(e, before);
            return null;
        } catch (IOException | RuntimeException e) {
            context.violate("could not be opened: " + e);
            return null;
        }
        if (planted != null) {
            context.violate("opened although a bit was flipped inside its log: " + planted);
            planted = null;
        }
        if (last != null && files.exists(last) && BitFlip.contents(files, last).length < sizeBefore) {
            tornTailsCut++;
            context.event("torn tail cut: " + last.getFileName() + " " + sizeBefore + " -> "
                    + BitFlip.contents(files, last).length + " bytes");
        }
        if (crashed) recoveries++;
        crashed = false;
        current = new LaggingStorage(durable, context, loop);
        return current;
    }

    private void refused(CorruptLogException e, Map<Path, byte[]> before) {
        BitFlip flip = planted;
        planted = null;
        if (flip == null) {
            context.violate("refused to start without a planted flip: " + e.getMessage());
            return;
        }
        String expected = flip.file() + " at byte offset " + flip.recordOffset() + ": ";
        if (!e.getMessage().startsWith(expected) || !e.file().equals(flip.file()) || e.offset() != flip.recordOffset()) {
            context.violate("refused to start, but the error does not name " + flip + ": " + e.getMessage());
        } else if (!sameFiles(before, everything())) {
            context.violate("refused to start but changed its files: " + e.getMessage());
        } else {
            refusedStarts++;
            lastRefusal = e.getMessage();
            context.event("refused to start (expected): " + e.getMessage());
        }
    }

    /**
     * Power loss: the in-flight writes reach the files unsynced, up to the first sync barrier (see
     * {@link SyncSwitchFiles}), then the crash keeps a random prefix of them per file, tearing the
     * last.
     */
    void crash() {
        syncedAtCrash = logSegments();
        if (current != null) {
            switchable.dying();
            inFlightAtCrashes += current.writeInFlightUnsynced(switchable::frozen);
            switchable.powerBack();
            current = null;
        }
        files.crash(true);
        crashed = true;
    }

    /**
     * Flips a bit inside the log of this crashed node (see {@link BitFlip#interior}); false if
     * the log has no eligible byte. The next open must refuse.
     */
    boolean flip(RandomGenerator rng) {
        BitFlip f = BitFlip.interior(syncedAtCrash, files, rng);
        if (f == null) return false;
        f.apply(files);
        planted = f;
        context.event("bit flipped: " + f);
        return true;
    }

    /** Writes of the running incarnation not yet synced. */
    int writesInFlight() {
        return current == null ? 0 : current.inFlight();
    }

    SimulatedFiles files() {
        return files;
    }

    Path lastSegment() {
        List<Path> segments = segmentPaths();
        return segments.isEmpty() ? null : segments.getLast();
    }

    int inFlightAtCrashes() {
        return inFlightAtCrashes;
    }

    int recoveries() {
        return recoveries;
    }

    int tornTailsCut() {
        return tornTailsCut;
    }

    int refusedStarts() {
        return refusedStarts;
    }

    /** The message of the last expected refusal to start, or null. */
    String lastRefusal() {
        return lastRefusal;
    }

    private List<Path> segmentPaths() {
        return files.list(WAL).stream().filter(p -> p.getFileName().toString().endsWith(".wal")).toList();
    }

    private Map<Path, byte[]> logSegments() {
        Map<Path, byte[]> out = new TreeMap<>();
        for (Path p : segmentPaths()) out.put(p, BitFlip.contents(files, p));
        return out;
    }

    /** Every file of the node (the layout is flat: the directory, wal/ and snapshots/). */
    private Map<Path, byte[]> everything() {
        Map<Path, byte[]> out = new TreeMap<>();
        for (Path dir : List.of(DIR, WAL, DIR.resolve("snapshots"))) {
            for (Path p : files.list(dir)) out.put(p, BitFlip.contents(files, p));
        }
        return out;
    }

    private static boolean sameFiles(Map<Path, byte[]> a, Map<Path, byte[]> b) {
        if (!a.keySet().equals(b.keySet())) return false;
        for (var e : a.entrySet()) if (!Arrays.equals(e.getValue(), b.get(e.getKey()))) return false;
        return true;
    }
}
