package raftkv.raft;

/** The answer to a proposal or a read-index request, given at once by the core. */
public sealed interface ProposeResult {
    /** Accepted: for a proposal, the entry's index and term; for a read, the index is not yet known (0). */
    record Accepted(long index, long term) implements ProposeResult {}

    /** Definitely not accepted: this node is not the leader; {@code leader} is its best guess or -1. */
    record NotLeader(int leader) implements ProposeResult {}

    /** Definitely not accepted: leadership is being handed over; retry shortly (at the new leader). */
    record TransferInProgress(int transferee) implements ProposeResult {}
}
