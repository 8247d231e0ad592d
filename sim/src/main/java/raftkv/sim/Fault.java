package raftkv.sim;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The kinds of fault the simulator can inject; each can be switched on or off per run. */
public enum Fault {
    /** Messages are lost at a per-seed rate. */
    DROPS,
    /** Messages take 1-20 ms with a tail up to 150 ms, so they also arrive out of order. */
    DELAY,
    /** Messages are sometimes delivered twice. */
    DUPLICATES,
    /** Random halves, an isolated leader, or a bridge node that sees both sides; then heal. */
    PARTITIONS,
    /**
     * A node crashes, losing or tearing writes it had not fsynced, and restarts later, recovering
     * from its files; 1 crash in 10 is a power outage that takes every node down at once.
     */
    CRASHES,
    /**
     * Now and then (1 crash in 100) a crashed node also gets a bit flipped inside its log; it then
     * refuses to start and stays down for the rest of the run. Only while the nodes not lost still
     * form a majority. Acts on crashes, so it injects crashes too.
     */
    CORRUPTION,
    /** A node stops processing for a while and resumes with a backlog. */
    PAUSES;

    public static Set<Fault> all() {
        return EnumSet.allOf(Fault.class);
    }

    /**
     * Parses a comma-separated list such as {@code drops,delay}; {@code all} and {@code none} are
     * accepted too. Throws IllegalArgumentException naming the bad word and the valid ones.
     */
    public static Set<Fault> parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("all")) return all();
        if (t.equals("none") || t.isEmpty()) return EnumSet.noneOf(Fault.class);
        Set<Fault> out = EnumSet.noneOf(Fault.class);
        for (String word : t.split(",")) {
            String w = word.trim();
            Fault match = null;
            for (Fault f : values()) {
                if (f.name().toLowerCase(Locale.ROOT).equals(w)) match = f;
            }
            if (match == null) {
                throw new IllegalArgumentException("unknown fault '" + w
                        + "' (expected all, none, or a list of: drops, delay, duplicates, partitions, crashes, corruption, pauses)");
            }
            out.add(match);
        }
        return out;
    }
}
