package raftkv.cs3700;

import raftkv.raft.RaftCore;

/** The simulator names nodes with four upper-case hex digits; the core numbers them. */
final class Ids {
    static final String BROADCAST = "FFFF";

    private Ids() {}

    static int parse(String hex) {
        if (hex == null || hex.length() != 4) throw new IllegalArgumentException("not a 4-hex-digit id: " + hex);
        return Integer.parseInt(hex, 16);
    }

    static String format(int id) {
        return id == RaftCore.NONE ? BROADCAST : String.format("%04X", id);
    }
}
