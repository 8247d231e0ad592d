package raftkv.node;

import raftkv.kv.Bytes;
import raftkv.kv.KvCommand;

/** What a client asks a node for. */
public sealed interface Request {
    /**
     * A command that goes through the log: a bare operation, a {@link KvCommand.SessionRequest}
     * (exactly-once) or a session registration. The node stamps the leader's time into session
     * commands.
     */
    record Write(KvCommand command) implements Request {}

    /** A read of one key, linearizable (ReadIndex) unless {@code stale} is asked for explicitly. */
    record Read(Bytes key, boolean stale) implements Request {}
}
