package raftkv.checker;

/** How an operation ended, as the client saw it. */
public enum Outcome {
    /** Completed; its result (if any) is known. A cas that did not swap is OK with result false. */
    OK,
    /** Definitely did not take effect; the checker removes it from the history. */
    FAIL,
    /** Timed out / crashed / "info": may take effect at any point after invocation, or never. */
    UNKNOWN
}
