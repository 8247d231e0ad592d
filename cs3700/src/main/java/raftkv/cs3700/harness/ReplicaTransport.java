package raftkv.cs3700.harness;

import java.util.List;

/** How the harness talks to replica processes in one generation. Implementations are thread-safe. */
interface ReplicaTransport extends AutoCloseable {
    /** The argv (after the program) for replica {@code myId}. */
    List<String> argv(String myId, List<String> peers);

    /** True once the replica said hello (A) or connected (B): only then may anything be delivered. */
    boolean ready(String replica);

    /** Sends one JSON message (no terminator) to a ready replica; I/O errors are reported, never thrown. */
    void send(String replica, byte[] json);

    @Override
    void close();
}
