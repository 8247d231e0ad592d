package raftkv.cs3700.harness;

/** The two generations of the course simulator; they differ only in argv and transport. */
public enum Generation {
    /** 2022 on: UDP datagrams on 127.0.0.1, argv {@code <port> <my ID> <peers...>}, hello first. */
    A,
    /** 2021: AF_UNIX stream socket files named after each replica ID, argv {@code <my ID> <peers...>}. */
    B;

    /** Parses "A", "B" (any case); anything else is a clear error. */
    public static Generation parse(String text) {
        return switch (text.trim().toUpperCase()) {
            case "A" -> A;
            case "B" -> B;
            default -> throw new IllegalArgumentException("unknown generation '" + text + "' (expected A, B or both)");
        };
    }
}
