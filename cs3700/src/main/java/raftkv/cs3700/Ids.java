package raftkv.cs3700;

import raftkv.raft.RaftCore;

/** The simulator names nodes with four upper-case hex digits; the core numbers them. */
final class Ids {
    static final String BROADCAST = "FFFF";

    private Ids() {}

    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[0-9A-F]{4}");

    /** Exactly four upper-case hex digits (as the simulator writes them, so ids compare as strings too). */
    static int parse(String hex) {
        if (hex == null || !ID.matcher(hex).matches()) throw new IllegalArgumentException("not a 4-hex-digit id: " + hex);
        return Integer.parseInt(hex, 16);
    }

    static String format(int id) {
        return id == RaftCore.NONE ? BROADCAST : String.format("%04X", id);
    }
}
