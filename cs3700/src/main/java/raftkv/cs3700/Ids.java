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

    private static final java.util.HexFormat HEX = java.util.HexFormat.of().withUpperCase();

    /**
     * Several times per message, so not with String.format (a Formatter each call: 3 % of the
     * replica's CPU). Ids are what {@link #parse} accepts, four hex digits, or NONE.
     */
    static String format(int id) {
        return id == RaftCore.NONE ? BROADCAST : HEX.toHexDigits((short) id);
    }
}
