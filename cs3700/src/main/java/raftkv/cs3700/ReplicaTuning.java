package raftkv.cs3700;

import raftkv.node.NodeConfig;
import raftkv.raft.RaftConfig;

/**
 * Timing of a course-simulator replica. The simulator counts every peer message, so heartbeats
 * are sparse; elections must still end well within a client's patience after a leader dies.
 *
 * @param startupMillis   no peer message before this long after the JVM started: every peer must
 *                        have said hello first (PROTOCOL.md, "the start-up trap")
 * @param holdLimitMillis a request held while no live leader is known fails after this long; a
 *                        write whose outcome is still open after this long is answered fail too
 */
record ReplicaTuning(long tickMillis, int electionTicks, int heartbeatTicks, int retransmitTicks, long startupMillis,
                     long holdLimitMillis) {
    /**
     * 10 ms ticks; heartbeats every second, elections after 1.2-2.4 s of silence (pre-vote and the
     * followers' lease keep a missed heartbeat from deposing anyone; requests wait here meanwhile);
     * entries that made no quorum go again after 200 ms (doubling), unless a new write carries them
     * sooner (writes come every 100-150 ms: most losses cost no retry of their own; a put that
     * missed its first round is slow either way, and the median does not see how slow); the
     * first election no earlier than 2.5 s after launch. Measured against our emulation of the
     * course simulator (README, cs3700/REPLICA.md).
     */
    static final ReplicaTuning DEFAULT = new ReplicaTuning(10, 120, 100, 20, 2_500, 10_000);

    /**
     * A follower whose election timer runs out asks its leader alone first and waits this many
     * ticks for its heartbeat (RaftConfig.leaderProbeTicks): a round trip here takes a few
     * milliseconds, and a timer that ran out was most often a heartbeat or two lost, not a leader.
     */
    static final int LEADER_PROBE_TICKS = 2;

    /**
     * A leader without client requests for an election timeout heartbeats this many times less
     * often, and its followers, told so ({@code "idle"}, a field of ours), wait as many times
     * longer before campaigning (RaftConfig.idleSlowdown). Every course config ends with seconds
     * without requests (its end_wait), and before the clients start the first leader waits a few
     * more. Measured (cs3700/REPLICA.md, eleventh session; --runs 3, A and B): advanced-3 820-868
     * messages against 868-968 without it, advanced-4 926-980 against 964-1023. Followers holding
     * a request ping an idle leader (Replica.maybePing) rather than wait for its next heartbeat.
     */
    static final int IDLE_SLOWDOWN = 3;

    /**
     * A peer that owes an answer for this long is no longer put in a relay chain ({@link Courier}),
     * where it would take its partner's answer down with it: a dead or cut-off peer. Longer than
     * the election timeout, by when the leader no longer offers new entries to a silent follower
     * anyway (it prefers the most recently heard), so that under heavy loss (30 %, where a live
     * follower often owes answers for several rounds) live followers stay in chains: sent to
     * directly, a follower costs two messages per answer instead of one and a half. A dead peer
     * costs its heartbeat partner at most two heartbeats.
     */
    long suspectAfterMillis() {
        return 1_500;
    }

    /**
     * The first election timeout of the member of rank {@code rank} (0: the lowest id): the lowest
     * campaigns as soon as Raft allows (its fresh promise to any leader runs an election timeout),
     * each next one half an election timeout later, so that the first campaign has time to finish
     * before another starts, and a dead or slow first candidate is replaced soon. Measured against
     * random timers (cs3700/REPLICA.md): at 30 % loss the first election cost 14-74 vote messages
     * (three campaigns at once split the vote in one run); a single campaign costs about 14.
     */
    int firstElectionTicks(int rank) {
        return electionTicks + 1 + rank * (electionTicks / 2);
    }

    /**
     * Under heavy loss, a round of new entries that none of its followers answered within this long
     * (or longer, on a network slower than ours: {@link RoundHedge}) goes again: a star's first
     * answer comes back within 2 ms nine times in ten, and a second try sent then can still make a
     * reply under 5 ms.
     */
    long hedgeAfterMillis() {
        return 2;
    }

    /**
     * The JIT warm-up ({@link Warmup}) runs from this long after JVM start (every replica's JVM
     * should be up by then: they start at once and compete for the CPU) ...
     */
    long warmupFromMillis() {
        return Math.min(600, startupMillis / 4);
    }

    /** ... until this long after it, well before the first client request (5 s after launch). */
    long warmupUntilMillis() {
        return Math.max(warmupFromMillis(), startupMillis + 1_700);
    }

    /**
     * Whether the tail of a new write's relay chain answers the write's client itself
     * ({@link TailReplyLedger}). Off for now: it makes more puts fast (paired runs of this code:
     * 4 to 7 points more of all replies under 5 ms in advanced-1, -2 and -4) but the leader
     * must ask a tail that has not said whether it answered, 20 to 50 messages a run more, and
     * advanced-4 then sits at 940-995 messages, against the Bonus line of 1000; advanced-3 does
     * not change (cs3700/REPLICA.md, "Tail replies"). On for a run with
     * {@code RAFTKV_TAIL_REPLIES=1} in the environment of {@code ./raftkv cs3700}: the replicas
     * inherit it.
     */
    static boolean tailReplies() {
        return "1".equals(System.getenv("RAFTKV_TAIL_REPLIES"));
    }

    NodeConfig nodeConfig(int id) {
        // Every peer message is counted: leases instead of a quorum round per read, each entry
        // first to just enough followers for a quorum, and no campaign after campaign from the
        // minority side of a partition.
        RaftConfig raft = RaftConfig.defaults(id)
                .withElectionTicks(electionTicks, heartbeatTicks)
                .withLimits(64, 16 * 1024, 16 * 1024)
                .withLeaseReads(true)
                .withQuorumFanout(true)
                .withRetransmitTicks(retransmitTicks)
                .withSilenceBackoff(true)
                .withLeaderProbeTicks(LEADER_PROBE_TICKS)
                .withIdleSlowdown(IDLE_SLOWDOWN);
        // A write taken by a leader that then lost its quorum stays open until the partition heals
        // (the course's last 5 s); answering fail any sooner would count as a failure for nothing.
        return NodeConfig.defaults(id).withRaft(raft).withTiming(tickMillis, holdLimitMillis).withSnapshotEvery(0)
                .withSnapshotEveryBytes(0);
    }
}
