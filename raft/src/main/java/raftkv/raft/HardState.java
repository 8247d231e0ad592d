package raftkv.raft;

/**
 * The state Raft requires on stable storage before answering any RPC (Figure 2): the current
 * term and the vote cast in it. The commit index is kept too, so that a restarted node can apply
 * what it already knew to be committed without waiting for the leader.
 */
public record HardState(long term, int votedFor, long commit) {
    public static final int NO_VOTE = -1;
    public static final HardState INITIAL = new HardState(0, NO_VOTE, 0);
}
