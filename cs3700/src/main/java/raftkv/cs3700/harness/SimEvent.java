package raftkv.cs3700.harness;

/** What the transport and process threads hand to the single simulation thread. */
sealed interface SimEvent {
    /** Raw bytes of one message from a replica; {@code sender} is null when the transport cannot tell. */
    record FromReplica(String sender, byte[] payload) implements SimEvent {}

    /** A transport-level problem attributable to a replica (for example a broken connection). */
    record TransportNote(String replica, String what) implements SimEvent {}

    /** A replica process ended. */
    record Exited(String replica, int exitCode) implements SimEvent {}
}
