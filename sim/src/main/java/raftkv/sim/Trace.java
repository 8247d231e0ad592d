package raftkv.sim;

/**
 * The run's event log. Every event feeds a 64-bit hash (two runs of one seed must agree on it);
 * the text is kept only when asked for, because a passing seed never needs it and a failing one
 * is simply run again with text on (the run is deterministic).
 */
final class Trace {
    private final StringBuilder text;
    private long hash = 0xcbf29ce484222325L;
    private long events;

    Trace(boolean keepText) {
        this.text = keepText ? new StringBuilder() : null;
    }

    void event(long timeMillis, String what) {
        mix(timeMillis);
        for (int i = 0; i < what.length(); i++) mix(what.charAt(i));
        remark(timeMillis, what);
    }

    /**
     * A line of text that is not part of the run and so feeds no hash: the checker's verdict, for
     * one, which on a history whose check ran out of its time budget names how far the search got
     * in that time, a figure of the machine, not of the seed.
     */
    void remark(long timeMillis, String what) {
        events++;
        if (text != null) text.append(timeMillis).append(' ').append(what).append('\n');
    }

    boolean keepsText() {
        return text != null;
    }

    private void mix(long v) {
        hash = (hash ^ v) * 0x100000001b3L;
        hash ^= hash >>> 29;
    }

    long hash() {
        return hash;
    }

    long events() {
        return events;
    }

    String text() {
        return text == null ? "" : text.toString();
    }
}
