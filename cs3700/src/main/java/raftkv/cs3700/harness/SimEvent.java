package raftkv.cs3700.harness;

/**
 * What reaches the simulation from outside: from the transports (on the simulation thread itself,
 * through {@link EventLoop#emit}) and from process-watching threads (through {@link EventLoop#post}).
 */
sealed interface SimEvent {
    /** Raw bytes of one message from a replica; {@code sender} is null when the transport cannot tell. */
    record FromReplica(String sender, byte[] payload) implements SimEvent {}

    /** A transport-level problem attributable to a replica (for example a broken connection). */
    record TransportNote(String replica, String what) implements SimEvent {}

    /** A replica process ended. */
    record Exited(String replica, int exitCode) implements SimEvent {}
}
