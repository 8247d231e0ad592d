package raftkv.raft;

/**
 * Tuning of one core. Times are in ticks: the runtime decides how long a tick is.
 *
 * @param electionTicks     a follower that hears no leader for a random time in
 *                          [electionTicks, 2*electionTicks) campaigns; a leader that hears from no
 *                          quorum for electionTicks steps down (check-quorum)
 * @param heartbeatTicks    an idle leader sends heartbeats this often
 * @param maxInflight       appends in flight per follower before the leader waits for answers
 * @param maxBytesPerAppend upper bound on the entry bytes of one AppendRequest
 * @param snapshotChunkBytes bytes of snapshot data per InstallSnapshot chunk
 * @param preVote           rehearse elections so a rejoining node cannot depose a healthy leader
 * @param checkQuorum       leaders step down without a quorum; followers keep a leader lease
 * @param leaseReads        opt-in: a leader serves reads without a quorum round while a quorum
 *                          acknowledged it less than promiseTicks - 2 ticks ago (needs checkQuorum:
 *                          followers refuse votes for promiseTicks after hearing from a leader; see
 *                          leasePromiseTicks). Safe only while tick rates agree across nodes;
 *                          ReadIndex is the default.
 * @param quorumFanout      opt-in economy: new entries go at once only to the quorum's worth of
 *                          followers that answered most recently; the others get them with their
 *                          next heartbeat, or after two ticks if the entries have not committed by
 *                          then. Fewer messages, for networks that charge for each one.
 * @param retransmitTicks   opt-in: a message to a follower (or a vote request) unanswered for this
 *                          many ticks is sent again, the wait doubling while nothing comes back (up
 *                          to heartbeatTicks). 0: rely on heartbeats, which also recover losses.
 * @param silenceBackoff    opt-in economy: a node whose pre-vote campaign too few voters answered at
 *                          all (cut off) waits twice, then four times as long before the next one,
 *                          and resends no vote request, until it hears from a leader. Fewer
 *                          messages on the minority side of a partition; after it heals, the first
 *                          election may come later (see Elections).
 * @param leaderProbeTicks  opt-in economy (with preVote): a follower whose election timer runs out
 *                          while it still names a leader first sends its pre-vote to that leader
 *                          alone, and campaigns only if no word from the leader came within this
 *                          many ticks. A live leader answers with a heartbeat: two messages for a
 *                          missed heartbeat instead of a pre-vote to every voter and their
 *                          answers. 0: campaign at once. A probe sent on the runtime's sign that
 *                          the leader is gone ({@link RaftCore#suspectLeaderGone()}) and left
 *                          unanswered makes the campaign say so, which loosens voters (see
 *                          leasePromiseTicks); a probe of the timer's does not.
 * @param idleSlowdown      opt-in economy: a leader that has had no proposal or read for an
 *                          election timeout sends heartbeats this many times less often (to each
 *                          follower once a message has told it so, through the transport: {@link
 *                          RaftCore#idle()}, {@link RaftCore#hintLeaderIdle}). Its check-quorum
 *                          periods, and how long its followers wait before campaigning, grow one
 *                          time more, so that one lost heartbeat seldom sets off a campaign. The
 *                          lease promise does not change. 1: off. The price: a leader that dies
 *                          while idle is replaced that much later.
 * @param leasePromiseTicks opt-in (with leaseReads): how long a follower's promise to a leader runs
 *                          after each of its messages, and so how long the leader's lease lasts
 *                          after a quorum acknowledged a round; 0: electionTicks. Shorter than the
 *                          election timeout, it lets a leader be replaced soon after it dies once
 *                          the followers know it is gone: its probe unanswered, a campaign says so
 *                          ({@link Message.VoteRequest#leaderSilent()}) and voters then hold only
 *                          to this promise, not to their longer wait on the leader (see Elections,
 *                          {@link RaftCore#suspectLeaderGone()}). The price: a lease that has run
 *                          out costs a read a quorum round. Every member must use the same value:
 *                          a leader that counted on a longer promise than its followers give
 *                          would trust its lease too long.
 */
public record RaftConfig(
        int id,
        int electionTicks,
        int heartbeatTicks,
        int maxInflight,
        int maxBytesPerAppend,
        int snapshotChunkBytes,
        boolean preVote,
        boolean checkQuorum,
        boolean leaseReads,
        boolean quorumFanout,
        int retransmitTicks,
        boolean silenceBackoff,
        int leaderProbeTicks,
        int idleSlowdown,
        int leasePromiseTicks) {

    public RaftConfig {
        if (heartbeatTicks < 1) throw new IllegalArgumentException("heartbeatTicks must be >= 1");
        if (electionTicks <= heartbeatTicks) {
            throw new IllegalArgumentException("electionTicks must exceed heartbeatTicks");
        }
        if (maxInflight < 1) throw new IllegalArgumentException("maxInflight must be >= 1");
        if (maxBytesPerAppend < 1 || snapshotChunkBytes < 1) {
            throw new IllegalArgumentException("message size limits must be positive");
        }
        if (retransmitTicks < 0) throw new IllegalArgumentException("retransmitTicks must be >= 0");
        if (leaderProbeTicks < 0) throw new IllegalArgumentException("leaderProbeTicks must be >= 0");
        if (idleSlowdown < 1) throw new IllegalArgumentException("idleSlowdown must be >= 1");
        if (leaseReads && !checkQuorum) throw new IllegalArgumentException("leaseReads needs checkQuorum");
        if (leasePromiseTicks != 0 && (leasePromiseTicks < 3 || leasePromiseTicks > electionTicks)) {
            throw new IllegalArgumentException("leasePromiseTicks must be 0 or within [3, electionTicks]");
        }
        if (leaseReads && electionTicks < heartbeatTicks + 3) {
            throw new IllegalArgumentException("leaseReads needs electionTicks >= heartbeatTicks + 3");
        }
    }

    /** Without lease reads (the default). */
    public RaftConfig(int id, int electionTicks, int heartbeatTicks, int maxInflight, int maxBytesPerAppend,
                      int snapshotChunkBytes, boolean preVote, boolean checkQuorum) {
        this(id, electionTicks, heartbeatTicks, maxInflight, maxBytesPerAppend, snapshotChunkBytes, preVote,
                checkQuorum, false, false, 0, false, 0, 1, 0);
    }

    /** Sensible defaults: 10-tick elections, 1-tick heartbeats, 64 appends of up to 1 MiB in flight. */
    public static RaftConfig defaults(int id) {
        return new RaftConfig(id, 10, 1, 64, 1 << 20, 1 << 20, true, true);
    }

    public RaftConfig withElectionTicks(int election, int heartbeat) {
        return new RaftConfig(id, election, heartbeat, maxInflight, maxBytesPerAppend,
                snapshotChunkBytes, preVote, checkQuorum, leaseReads, quorumFanout, retransmitTicks,
                silenceBackoff, leaderProbeTicks, idleSlowdown, leasePromiseTicks);
    }

    public RaftConfig withLimits(int inflight, int bytesPerAppend, int chunkBytes) {
        return new RaftConfig(id, electionTicks, heartbeatTicks, inflight, bytesPerAppend, chunkBytes,
                preVote, checkQuorum, leaseReads, quorumFanout, retransmitTicks,
                silenceBackoff, leaderProbeTicks, idleSlowdown, leasePromiseTicks);
    }

    public RaftConfig withPreVote(boolean on) {
        return new RaftConfig(id, electionTicks, heartbeatTicks, maxInflight, maxBytesPerAppend,
                snapshotChunkBytes, on, checkQuorum, leaseReads, quorumFanout, retransmitTicks,
                silenceBackoff, leaderProbeTicks, idleSlowdown, leasePromiseTicks);
    }

    public RaftConfig withCheckQuorum(boolean on) {
        return new RaftConfig(id, electionTicks, heartbeatTicks, maxInflight, maxBytesPerAppend,
                snapshotChunkBytes, preVote, on, leaseReads, quorumFanout, retransmitTicks,
                silenceBackoff, leaderProbeTicks, idleSlowdown, leasePromiseTicks);
    }

    public RaftConfig withLeaseReads(boolean on) {
        return new RaftConfig(id, electionTicks, heartbeatTicks, maxInflight, maxBytesPerAppend,
                snapshotChunkBytes, preVote, checkQuorum, on, quorumFanout, retransmitTicks,
                silenceBackoff, leaderProbeTicks, idleSlowdown, leasePromiseTicks);
    }

    public RaftConfig withQuorumFanout(boolean on) {
        return new RaftConfig(id, electionTicks, heartbeatTicks, maxInflight, maxBytesPerAppend,
                snapshotChunkBytes, preVote, checkQuorum, leaseReads, on, retransmitTicks,
                silenceBackoff, leaderProbeTicks, idleSlowdown, leasePromiseTicks);
    }

    public RaftConfig withRetransmitTicks(int ticks) {
        return new RaftConfig(id, electionTicks, heartbeatTicks, maxInflight, maxBytesPerAppend,
                snapshotChunkBytes, preVote, checkQuorum, leaseReads, quorumFanout, ticks,
                silenceBackoff, leaderProbeTicks, idleSlowdown, leasePromiseTicks);
    }

    public RaftConfig withSilenceBackoff(boolean on) {
        return new RaftConfig(id, electionTicks, heartbeatTicks, maxInflight, maxBytesPerAppend,
                snapshotChunkBytes, preVote, checkQuorum, leaseReads, quorumFanout, retransmitTicks,
                on, leaderProbeTicks, idleSlowdown, leasePromiseTicks);
    }

    public RaftConfig withLeaderProbeTicks(int ticks) {
        return new RaftConfig(id, electionTicks, heartbeatTicks, maxInflight, maxBytesPerAppend,
                snapshotChunkBytes, preVote, checkQuorum, leaseReads, quorumFanout, retransmitTicks, silenceBackoff,
                ticks, idleSlowdown, leasePromiseTicks);
    }

    public RaftConfig withIdleSlowdown(int factor) {
        return new RaftConfig(id, electionTicks, heartbeatTicks, maxInflight, maxBytesPerAppend,
                snapshotChunkBytes, preVote, checkQuorum, leaseReads, quorumFanout, retransmitTicks, silenceBackoff,
                leaderProbeTicks, factor, leasePromiseTicks);
    }

    public RaftConfig withLeasePromiseTicks(int ticks) {
        return new RaftConfig(id, electionTicks, heartbeatTicks, maxInflight, maxBytesPerAppend,
                snapshotChunkBytes, preVote, checkQuorum, leaseReads, quorumFanout, retransmitTicks, silenceBackoff,
                leaderProbeTicks, idleSlowdown, ticks);
    }

    /** How long a follower's promise to a leader runs after each of its messages, in ticks. */
    public int promiseTicks() {
        return leasePromiseTicks == 0 ? electionTicks : leasePromiseTicks;
    }

    /** The same tuning for another node. */
    public RaftConfig withId(int otherId) {
        return new RaftConfig(otherId, electionTicks, heartbeatTicks, maxInflight, maxBytesPerAppend,
                snapshotChunkBytes, preVote, checkQuorum, leaseReads, quorumFanout, retransmitTicks,
                silenceBackoff, leaderProbeTicks, idleSlowdown, leasePromiseTicks);
    }
}
