package raftkv.raft;

import java.util.List;

/**
 * Every message Raft peers exchange. Each carries the sender, the receiver and the sender's term;
 * the core dispatches on the record type with a pattern {@code switch}.
 */
public sealed interface Message {
    int from();

    int to();

    long term();

    /**
     * RequestVote (§5.2), or its pre-vote rehearsal (thesis §9.6) when {@code preVote}: then
     * {@code term} is the term the sender would campaign in, and nobody changes state. A vote
     * requested for a leadership transfer overrides the voters' leader lease. {@code leaderSilent}:
     * the leader the sender followed did not answer its probe ({@link RaftConfig#leaderProbeTicks()}),
     * so voters hold only to their promise to it ({@link RaftConfig#promiseTicks()}), not to their
     * longer wait on a leader they do not hear from.
     */
    record VoteRequest(int from, int to, long term, long lastLogIndex, long lastLogTerm,
                       boolean preVote, boolean transfer, boolean leaderSilent) implements Message {
        public VoteRequest(int from, int to, long term, long lastLogIndex, long lastLogTerm, boolean preVote,
                           boolean transfer) {
            this(from, to, term, lastLogIndex, lastLogTerm, preVote, transfer, false);
        }
    }

    /**
     * The answer to a VoteRequest. {@code leaseTicksLeft}: a pre-vote refused only because this voter
     * still honours a leader says for how many more of its ticks it will (0 otherwise). Such a
     * refusal is no loss for the pre-candidate, who asks nobody again meanwhile: the voter answers
     * the same request again when its promise runs out with the leader silent (see Elections).
     * {@code leaderHint}: with a refused pre-vote, the leader the voter follows ({@link RaftCore#NONE}
     * if none, and on every other answer): the pre-candidate asks that leader alone next time, or,
     * if it campaigned from an older term, follows it at once (see Elections, RaftCore).
     */
    record VoteResponse(int from, int to, long term, boolean granted, boolean preVote, long leaseTicksLeft,
                        int leaderHint) implements Message {
        public VoteResponse(int from, int to, long term, boolean granted, boolean preVote) {
            this(from, to, term, granted, preVote, 0, RaftCore.NONE);
        }

        public VoteResponse(int from, int to, long term, boolean granted, boolean preVote, long leaseTicksLeft) {
            this(from, to, term, granted, preVote, leaseTicksLeft, RaftCore.NONE);
        }
    }

    /**
     * AppendEntries (§5.3): entries following {@code prevIndex}/{@code prevTerm}, and the leader's
     * commit index. {@code round} is the leader's current confirmation round, as in a heartbeat:
     * the answer confirms it, for ReadIndex and leases.
     */
    record AppendRequest(int from, int to, long term, long prevIndex, long prevTerm,
                         List<Entry> entries, long commit, long round) implements Message {
        public AppendRequest {
            entries = List.copyOf(entries);
        }

        public AppendRequest(int from, int to, long term, long prevIndex, long prevTerm, List<Entry> entries,
                             long commit) {
            this(from, to, term, prevIndex, prevTerm, entries, commit, 0);
        }

        public long lastIndex() {
            return prevIndex + entries.size();
        }
    }

    /**
     * The answer to an AppendRequest. On success {@code index} is the last index now known to match
     * the leader's log. On rejection {@code index} is the rejected {@code prevIndex}, and the
     * conflict hint lets the leader skip a whole term at a time (§5.3, "fast backtracking"):
     * {@code conflictTerm} is the follower's term at prevIndex (0 if it has no entry there) and
     * {@code conflictIndex} the first index it holds of that term (or its last index + 1).
     * {@code round} echoes the request's.
     */
    record AppendResponse(int from, int to, long term, boolean success, long index,
                          long conflictIndex, long conflictTerm, long round) implements Message {
        public AppendResponse(int from, int to, long term, boolean success, long index, long conflictIndex,
                              long conflictTerm) {
            this(from, to, term, success, index, conflictIndex, conflictTerm, 0);
        }
    }

    /**
     * A leader's heartbeat. {@code commit} never exceeds what the follower is known to hold.
     * {@code round} numbers the leader's confirmation rounds, for ReadIndex (thesis §6.4).
     */
    record Heartbeat(int from, int to, long term, long commit, long round) implements Message {}

    record HeartbeatResponse(int from, int to, long term, long round) implements Message {}

    /** One chunk of InstallSnapshot (§7), starting at byte {@code offset} of the snapshot data. */
    record SnapshotChunk(int from, int to, long term, SnapshotMeta meta, long offset, byte[] data,
                         boolean done) implements Message {}

    /**
     * The answer to a chunk: {@code nextOffset} is the byte the follower expects next, or, once
     * {@code installed}, the snapshot is in place and {@code index} is its last index.
     */
    record SnapshotResponse(int from, int to, long term, long index, long nextOffset,
                            boolean installed) implements Message {}

    /** Leadership transfer (thesis §3.10): the leader tells a caught-up follower to campaign now. */
    record TimeoutNow(int from, int to, long term) implements Message {}
}
