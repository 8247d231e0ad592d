package raftkv.checker;

import java.time.Duration;

/** A point in (real) time after which a search gives up. */
record Deadline(long nanoTime) {

    static Deadline after(Duration budget) {
        long now = System.nanoTime();
        long nanos = budget.compareTo(Duration.ofDays(365)) > 0 ? Long.MAX_VALUE / 4 : budget.toNanos();
        return new Deadline(now + Math.max(0, nanos));
    }

    boolean passed() {
        return System.nanoTime() - nanoTime >= 0;
    }

    /** The earlier of this and {@code budget} from now. */
    Deadline atMost(Duration budget) {
        Deadline other = after(budget);
        return other.nanoTime - nanoTime < 0 ? other : this;
    }
}
