package raftkv.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

import raftkv.raft.Message.AppendRequest;
import raftkv.raft.Message.AppendResponse;
import raftkv.raft.Message.Heartbeat;
import raftkv.raft.Message.HeartbeatResponse;
import raftkv.raft.Message.SnapshotChunk;
import raftkv.raft.Message.SnapshotResponse;
import raftkv.raft.Message.TimeoutNow;
import raftkv.raft.Message.VoteRequest;
import raftkv.raft.Message.VoteResponse;

/**
 * One Raft peer as a pure state machine (the Raft paper, Figure 2, with the thesis's pre-vote,
 * check-quorum, ReadIndex and leadership transfer).
 *
 * <p>Drive it with {@link #tick()}, {@link #step(Message)}, {@link #propose(List)},
 * {@link #readIndex(long)} and {@link #transferLeadership(int)}; then, while {@link #hasReady()},
 * take a {@link Ready}, carry it out as its documentation says, and {@link #advance(Ready)}. Take
 * the next {@code Ready} only after advancing the previous one: the steps taken in between (while
 * the disk works) are batched into it, which is what makes group commit work.
 *
 * <p>This class takes the inputs, decides terms and roles (§5.1) and assembles the output; the
 * protocol's parts live in {@link Elections}, {@link LeaderReplication} (with {@link QuorumFanout}),
 * {@link FollowerReplication} and {@link ConfirmationRounds}, all sharing one {@link NodeState}.
 *
 * <p>Not thread-safe, by design: one event-loop thread owns a core.
 */
public final class RaftCore {
    public static final int NONE = -1;

    private final NodeState s;
    private final Elections elections;
    private final ConfirmationRounds rounds;
    private final LeaderReplication replication;
    private final FollowerReplication follower;

    private HardState persistedHardState;
    private Role reportedRole;
    private int reportedLeader = NONE;
    private boolean readyOutstanding;

    /**
     * @param initial the membership to start with when the restored state carries none (a brand
     *                new cluster); a restored snapshot's membership wins
     */
    public RaftCore(RaftConfig cfg, Configuration initial, RandomGenerator random, RestoredState restored) {
        Snapshot snap = restored.snapshot();
        RaftLog log = new RaftLog(snap == null ? 0 : snap.meta().index(), snap == null ? 0 : snap.meta().term(),
                restored.entries(), restored.hardState().commit());
        this.s = new NodeState(cfg, random, log, snap != null ? snap.meta().configuration() : initial);
        s.latestSnapshot = snap;
        s.term = restored.hardState().term();
        s.votedFor = restored.hardState().votedFor();
        this.persistedHardState = restored.hardState();
        this.elections = new Elections(s, this);
        this.rounds = new ConfirmationRounds(s);
        this.replication = new LeaderReplication(s, rounds);
        this.follower = new FollowerReplication(s);
        s.resetElectionTimer();
    }

    // ------------------------------------------------------------------ inputs

    /** One unit of logical time. */
    public void tick() {
        s.ticks++;
        if (s.role == Role.LEADER) {
            tickLeader();
        } else {
            elections.tick();
        }
    }

    private void tickLeader() {
        s.electionElapsed++;
        if (s.slowdown() > 1) s.lastIdleTick = s.ticks;
        if (s.cfg.checkQuorum() && s.electionElapsed == quorumProbeTick()) {
            replication.probeSilentFollowers();
        }
        if (s.electionElapsed >= checkQuorumTicks()) {
            s.electionElapsed = 0;
            if (s.cfg.checkQuorum() && replication.quorumLost()) {
                becomeFollower(s.term, NONE);
                return;
            }
            replication.abandonTransfer();
        }
        rounds.tick(); // first: the heartbeats and appends sent below carry the new round
        replication.tick();
    }

    /**
     * When, in each check-quorum period, the followers not heard from yet get a heartbeat: a
     * quarter of the period before its end, time enough for the answers to come back. Under
     * message loss a leader that sends sparse heartbeats (or new entries to a quorum only) may
     * otherwise have heard from too few followers by chance, step down and cost an election.
     */
    private int quorumProbeTick() {
        return checkQuorumTicks() - Math.max(1, checkQuorumTicks() / 4);
    }

    /** A check-quorum period: an election timeout, longer while idle (RaftConfig.idleSlowdown). */
    private int checkQuorumTicks() {
        return s.electionTicksNow();
    }

    /** Proposes commands; each becomes one log entry. Only a leader accepts them. */
    public ProposeResult propose(List<byte[]> commands) {
        if (s.role != Role.LEADER) return new ProposeResult.NotLeader(s.leader);
        if (replication.transferee() != NONE) return new ProposeResult.TransferInProgress(replication.transferee());
        RaftLog log = s.log;
        long first = log.lastIndex() + 1;
        List<Entry> batch = new ArrayList<>(commands.size());
        for (byte[] c : commands) batch.add(new Entry(log.lastIndex() + 1 + batch.size(), s.term, c));
        log.appendLeaderEntries(batch);
        s.lastClientActivityTick = s.ticks;
        replication.entriesAppended();
        return new ProposeResult.Accepted(first, s.term);
    }

    public ProposeResult propose(byte[] command) {
        return propose(List.of(command));
    }

    /**
     * Asks for a linearizable read. When it is safe, a {@link ReadState} with this context and the
     * index to wait for appears in a {@link Ready}. If leadership is lost first, the context is
     * reported by {@link #takeDroppedReads()}.
     */
    public ProposeResult readIndex(long context) {
        if (s.role != Role.LEADER) return new ProposeResult.NotLeader(s.leader);
        s.lastClientActivityTick = s.ticks;
        rounds.read(context, replication.transferee() != NONE);
        return new ProposeResult.Accepted(0, s.term);
    }

    /**
     * The runtime's clock: {@code ticks} tick periods have passed since this core was created,
     * though fewer may have been delivered ({@link #tick()}): its timer fired late (a busy machine,
     * a pause), or it hands a backlog over a few ticks at a time. Timers run on the ticks
     * delivered; promises and leases run on this clock, because they are time in the world: the
     * other members' clocks ran on meanwhile. A follower that heard its leader on a clock that
     * stood still promised it nothing once its late ticks came, and its vote elected a leader
     * while the old one still served reads from its lease; a leader judging its lease on such a
     * clock served a value another leader had overwritten. Call it before every input; without
     * it, the clock is the ticks delivered.
     */
    public void clockAt(long ticks) {
        s.clockTicks = Math.max(s.clockTicks, ticks); // a clock that went back would shorten promises
    }

    /**
     * The transport heard nothing from the followers the newest round of new entries went to,
     * within a few milliseconds, while {@link #heavyLoss()}: a leader sends the entries once more
     * to as many followers as a quorum lacks (a hedged request; see {@link
     * QuorumFanout#hedgeRound()}). Ignored otherwise. For a transport that can time such a
     * silence more finely than ticks; it is an input like a message, and changes nothing else.
     */
    public void hedgeRound() {
        if (s.role == Role.LEADER) replication.hedgeRound();
    }

    /**
     * The runtime has a sign that the leader this follower names may be gone: the course replica's
     * clients come to a follower only once they have lost track of the leader (it was killed, or a
     * partition came), and this one has not heard from it since they came. Once this follower's
     * promise to the leader ({@link RaftConfig#promiseTicks()}) has run out, it asks the leader
     * alone at once rather than at the end of its election timer, and if no word comes within
     * {@link RaftConfig#leaderProbeTicks()} it campaigns, telling voters that the leader was silent
     * ({@link Message.VoteRequest#leaderSilent()}): they hold only to their promise then. A live
     * leader answers the probe with a heartbeat, and nothing else happens. Ignored without pre-vote
     * and the probe, and by anyone but a follower that names a leader. Returns whether a probe of
     * the leader is under way (so the runtime need not ask the leader itself).
     */
    public boolean suspectLeaderGone() {
        return elections.suspectLeader();
    }

    /**
     * A fresh cluster's members can agree who campaigns first, by rank, rather than race on random
     * timers (under heavy loss several campaigns at once split the vote, and each costs a vote
     * request to every member and their answers): the election timer now running ends after
     * {@code ticks} instead. Only while no leader is known and the timer has not run out; a
     * timeout shorter than the promise ({@link RaftConfig#promiseTicks()}, which a fresh member
     * keeps from its start) is raised to it: no voter could grant sooner.
     */
    public void setFirstElectionTimeout(int ticks) {
        if (s.role != Role.FOLLOWER || s.leader != NONE || s.electionElapsed >= s.randomizedElectionTimeout) return;
        s.randomizedElectionTimeout = Math.max(ticks, s.cfg.promiseTicks());
    }

    /** Hands leadership to {@code target}: catch it up, then tell it to campaign at once. */
    public void transferLeadership(int target) {
        if (s.role != Role.LEADER || target == s.id || !s.conf.isVoter(target)) return;
        replication.transferLeadership(target);
    }

    /**
     * The application captured its state after applying {@code index} in a snapshot: drop the log up
     * to there. The runtime persists the snapshot itself before calling this.
     */
    public void compact(long index, byte[] data) {
        if (index <= s.log.snapshotIndex()) return;
        SnapshotMeta meta = new SnapshotMeta(index, s.log.termAt(index), s.conf);
        s.log.compact(index);
        s.latestSnapshot = new Snapshot(meta, data);
    }

    /** Switches on deliberate safety bugs: for tests of the test harness only. */
    public void injectBugs(Set<DeliberateBug> enabled) {
        s.bugs = java.util.EnumSet.noneOf(DeliberateBug.class);
        s.bugs.addAll(enabled);
    }

    /** A message from a peer. */
    public void step(Message m) {
        if (m.to() != s.id) return;
        if (m.term() > s.term) {
            if (!acceptHigherTerm(m)) return;
        } else if (m.term() < s.term) {
            answerStaleTerm(m);
            return;
        }
        boolean leading = s.role == Role.LEADER;
        switch (m) {
            case VoteRequest r -> elections.onVoteRequest(r);
            case VoteResponse r -> {
                if (leading && !r.preVote()) replication.heardVoteAnswer(r.from());
                elections.onVoteResponse(r);
            }
            case AppendRequest r -> {
                followLeader(r.from());
                follower.onAppendRequest(r);
            }
            case Heartbeat h -> {
                followLeader(h.from());
                follower.onHeartbeat(h);
            }
            case SnapshotChunk c -> {
                followLeader(c.from());
                follower.onSnapshotChunk(c);
            }
            case AppendResponse r -> { if (leading) replication.onAppendResponse(r); }
            case HeartbeatResponse r -> { if (leading) replication.onHeartbeatResponse(r); }
            case SnapshotResponse r -> { if (leading) replication.onSnapshotResponse(r); }
            case TimeoutNow t -> { if (s.conf.isVoter(s.id) && !leading) elections.campaign(false, true); }
        }
    }

    /** Decides whether a message from a higher term moves us to that term (§5.1), or is ignored. */
    private boolean acceptHigherTerm(Message m) {
        switch (m) {
            case VoteRequest r -> {
                // Leader lease (thesis §4.2.3): while we hear from a live leader, a rejoining node's
                // vote requests must not depose it. A transfer's vote was asked for by that leader.
                if (elections.boundAgainst(r)) {
                    // A pre-vote gets a no rather than silence: the pre-candidate then knows that a
                    // live cluster heard it, and does not back off as if cut off (see Elections).
                    // A leader answers with a heartbeat: the pre-candidate only missed our messages,
                    // and follows us again on this one instead of campaigning on.
                    if (r.preVote() && s.role == Role.LEADER) replication.remindOfLeadership(r.from());
                    else if (r.preVote()) elections.refuseForLease(r);
                    return false;
                }
                if (r.preVote()) return true; // answered without changing our term
            }
            case VoteResponse r when r.preVote() && r.granted() -> {
                return true; // the term a pre-vote grant carries is the one we may campaign in
            }
            case VoteResponse r when r.preVote() && r.leaderHint() != NONE && r.leaderHint() != s.id -> {
                // We campaigned from an older term; the voter follows a leader of its newer one.
                // Following it at once (rather than nobody until its heartbeat comes) sends our
                // clients there and, at our next timeout, our probe to it alone, not to everyone.
                becomeFollower(m.term(), r.leaderHint());
                return true;
            }
            case AppendRequest r -> becomeFollower(m.term(), r.from());
            case Heartbeat h -> becomeFollower(m.term(), h.from());
            case SnapshotChunk c -> becomeFollower(m.term(), c.from());
            default -> { }
        }
        if (m.term() > s.term) becomeFollower(m.term(), NONE);
        return true;
    }

    /** A message from an older term is ignored, but its sender may need to learn the new term. */
    private void answerStaleTerm(Message m) {
        switch (m) {
            // A deposed leader's append or heartbeat: tell it the current term, so it steps down
            // (with check-quorum and pre-vote it might otherwise never hear of the new term).
            case AppendRequest r -> s.send(new AppendResponse(s.id, r.from(), s.term, false, r.prevIndex(), 0, 0));
            case Heartbeat h -> s.send(new HeartbeatResponse(s.id, h.from(), s.term, 0));
            case VoteRequest r when r.preVote() -> elections.refuse(r);
            default -> { }
        }
    }

    // ------------------------------------------------------------------ roles (called by Elections too)

    /** A member asked a leader (us) for a pre-vote: see {@link LeaderReplication#remindOfLeadership}. */
    void remindOfLeadership(int peer) {
        replication.remindOfLeadership(peer);
    }

    void becomeFollower(long newTerm, int newLeader) {
        if (newTerm > s.term) {
            s.term = newTerm;
            s.votedFor = NONE;
        }
        s.role = Role.FOLLOWER;
        s.leader = newLeader;
        clearLeaderState();
        s.resetElectionTimer();
        elections.becameFollower();
    }

    private void followLeader(int from) {
        if (s.role != Role.FOLLOWER || s.leader != from) becomeFollower(s.term, from);
        s.electionElapsed = 0;
        elections.heardFromLeader();
    }

    /** Wins the election; {@code answered}: the peers whose vote answers arrived (they were alive). */
    void becomeLeader(java.util.Set<Integer> answered) {
        s.role = Role.LEADER;
        s.leader = s.id;
        clearLeaderState();
        s.electionElapsed = 0;
        s.lastClientActivityTick = s.ticks; // clients may be waiting for a leader: start busy
        s.lastIdleTick = -1;
        replication.start(answered);
        // The no-op goes out in a round that starts now: its answers make the lease valid at once,
        // and reads that come before it commits need no round of their own.
        if (s.cfg.leaseReads()) rounds.startRound();
        // A no-op of the new term lets the leader commit (and learn) everything before it (§5.4.2, §8).
        s.log.appendLeaderEntries(List.of(Entry.noop(s.log.lastIndex() + 1, s.term)));
        replication.entriesAppended();
    }

    /** Whatever the role becomes, the previous leadership's state goes (reads pending on it fail). */
    void clearLeaderState() {
        replication.reset();
        rounds.reset();
    }

    /** What a leader batches until the next Ready: new entries to offer, reads waiting for a round. */
    private void flushLeaderWork() {
        if (s.role != Role.LEADER) return;
        replication.flush();
        rounds.serveWaitingFromLease(replication.transferee() != NONE);
        if (rounds.roundWanted()) {
            rounds.startRound();
            if (s.conf.voters().size() > 1) replication.broadcastHeartbeats();
        }
    }

    // ------------------------------------------------------------------ output

    public boolean hasReady() {
        if (readyOutstanding) return false;
        RaftLog log = s.log;
        return !s.outbox.isEmpty() || !s.outboxAfterPersist.isEmpty() || s.snapshotToInstall != null
                || log.hasUnstable()
                || hardStateChanged()
                || Math.min(log.commitIndex(), log.stableIndex()) > log.appliedIndex()
                || !s.readStates.isEmpty() || s.role != reportedRole || s.leader != reportedLeader
                || s.role == Role.LEADER && (replication.broadcastPending() || rounds.roundWanted()
                        || rounds.leaseCanServeWaiting(replication.transferee() != NONE));
    }

    public Ready ready() {
        if (readyOutstanding) throw new IllegalStateException("advance() the previous Ready first");
        flushLeaderWork();
        Ready rd = new Ready(s.role, s.leader, s.term,
                hardStateChanged() ? new HardState(s.term, s.votedFor, s.log.commitIndex()) : null,
                s.snapshotToInstall,
                s.log.takeUnstable(),
                List.copyOf(s.outbox),
                List.copyOf(s.outboxAfterPersist),
                s.log.takeCommitted(),
                List.copyOf(s.readStates));
        s.outbox.clear();
        s.outboxAfterPersist.clear();
        s.readStates.clear();
        s.snapshotToInstall = null;
        reportedRole = s.role;
        reportedLeader = s.leader;
        readyOutstanding = true;
        return rd;
    }

    /** The runtime carried out {@code rd}: its hard state, snapshot and entries are durable. */
    public void advance(Ready rd) {
        if (!readyOutstanding) throw new IllegalStateException("no Ready outstanding");
        readyOutstanding = false;
        if (rd.hardState() != null) persistedHardState = rd.hardState();
        if (!rd.entries().isEmpty()) {
            s.log.markPersisted(rd.entries().getLast().index());
            if (s.role == Role.LEADER) replication.maybeCommit();
        }
    }

    /** Reads lost with leadership since the last call: their clients must retry (definite failure). */
    public List<Long> takeDroppedReads() {
        return rounds.takeDroppedReads();
    }

    /**
     * Field by field, with nothing allocated: hasReady runs on every tick, and a record's equals
     * goes through method handles, which the course replica's C1-only JIT does not inline (12 % of
     * its CPU went to this comparison; cs3700/REPLICA.md).
     */
    private boolean hardStateChanged() {
        HardState p = persistedHardState;
        return p.term() != s.term || p.votedFor() != s.votedFor || p.commit() != s.log.commitIndex();
    }

    // ------------------------------------------------------------------ inspection

    public int id() { return s.id; }

    public Role role() { return s.role; }

    /**
     * A leader with quorum fan-out whose rounds have widened: most answers are being lost (see
     * FanoutPolicy). Cheap: a transport may ask for every message it sends.
     */
    public boolean heavyLoss() { return s.role == Role.LEADER && replication.heavyLoss(); }

    /**
     * A leader with quorum fan-out whose commit has stalled through a retry to a new pairing of
     * followers (it then offers entries to every follower that lacks them), or whose check-quorum
     * nears with no quorum heard (it heartbeats every follower not heard): a transport that routes
     * messages through other followers should send them directly until this turns false (a route
     * through a cut-off follower loses the answers of one that is not). Cheap, like heavyLoss().
     */
    public boolean probingFollowers() { return s.role == Role.LEADER && s.cfg.quorumFanout() && replication.probing(); }

    /**
     * The transport's word on message loss, for example what the leader it hears from reports of
     * its own {@link #heavyLoss()}. Under light loss a candidate asks a silent voter at most twice
     * (more often, the silence is a partition or a dead peer); under heavy loss, or before any word,
     * up to three times, and a new leader starts with its rounds wide (FanoutPolicy).
     */
    public void hintMessageLoss(boolean heavy) { s.heavyLossHint = heavy; }

    /**
     * The transport's word, with a message from our leader of the current term, that the leader
     * is idle ({@link #idle()} there): see {@link RaftConfig#idleSlowdown()}.
     */
    public void hintLeaderIdle(boolean idle) { s.leaderIdleHintTerm = idle ? s.term : -1; }

    /** A leader idle long enough to heartbeat less often ({@link RaftConfig#idleSlowdown()}). */
    public boolean idle() { return s.role == Role.LEADER && s.slowdown() > 1; }

    public long term() { return s.term; }

    public int leader() { return s.leader; }

    public long commitIndex() { return s.log.commitIndex(); }

    public long lastIndex() { return s.log.lastIndex(); }

    public Configuration configuration() { return s.conf; }

    /** The term of the entry at {@code index}, or -1 if it is compacted or absent. */
    public long termAt(long index) { return s.log.termAt(index); }

    /** Whether a read asked now would be served at once from the lease (for the tests' checks). */
    boolean canServeLeaseRead() {
        return s.role == Role.LEADER && rounds.canServeFromLease(replication.transferee() != NONE);
    }

    public Status status() {
        return new Status(s.id, s.role, s.term, s.leader, s.votedFor, s.log.commitIndex(), s.log.appliedIndex(),
                s.log.lastIndex(), s.log.snapshotIndex(), s.conf, replication.matchIndexes(), heavyLoss());
    }
}
