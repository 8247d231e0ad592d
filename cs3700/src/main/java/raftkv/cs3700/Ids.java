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

    /** Replica ids as the course's tests number them (from 0000), formatted once; larger ids are formatted each time. */
    private static final String[] FORMATTED = new String[256];

    /**
     * Several times per message, so without String.format (a Formatter each call; 3 % of the
     * replica's CPU). A racy fill of the table is harmless: every writer writes an equal String.
     */
    static String format(int id) {
        if (id == RaftCore.NONE) return BROADCAST;
        if (id < 0 || id >= FORMATTED.length) return hex4(id);
        String s = FORMATTED[id];
        if (s == null) FORMATTED[id] = s = hex4(id);
        return s;
    }

    private static String hex4(int id) {
        String hex = Integer.toHexString(id).toUpperCase(java.util.Locale.ROOT);
        return hex.length() >= 4 ? hex : "0000".substring(hex.length()) + hex;
    }
}
