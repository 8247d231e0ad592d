package raftkv.cs3700.harness;

import java.util.List;

/**
 * How the harness talks to replica processes in one generation. An implementation registers its
 * channels with the run's {@link EventLoop} when built and emits what it reads there as
 * {@link SimEvent}s; it is used only on the simulation thread, so it needs no locking.
 */
interface ReplicaTransport extends AutoCloseable {
    /** The argv (after the program) for replica {@code myId}. */
    List<String> argv(String myId, List<String> peers);

    /** True once the replica said hello (A) or connected (B): only then may anything be delivered. */
    boolean ready(String replica);

    /**
     * Sends one JSON message (no terminator) to a ready replica without blocking: what the socket
     * cannot take yet is queued and written when it can. I/O errors are reported, never thrown.
     */
    void send(String replica, byte[] json);

    @Override
    void close();
}
