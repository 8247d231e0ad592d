package raftkv.node;

import raftkv.raft.Message;

/**
 * Sends Raft messages to peers; delivery is best effort (Raft tolerates loss, delay, duplication
 * and reordering). Received messages go to {@link RaftNode#receive(Message)} on the loop.
 */
public interface PeerTransport {
    void send(Message message);
}
