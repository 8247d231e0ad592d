package raftkv.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 * <p>Not thread-safe, by design: one event-loop thread owns a core.
 */
public final class RaftCore {
    public static final int NONE = -1;

    private final RaftConfig cfg;
    private final int id;
    private final RandomGenerator random;
    private final RaftLog log;
    private Configuration conf;

    private long term;
    private int votedFor;
    private int leader = NONE;
    private Role role = Role.FOLLOWER;

    /** Logical time: ticks since this core was created. */
    private long ticks;
    private int electionElapsed;
    private int randomizedElectionTimeout;

    private final Map<Integer, Progress> progress = new TreeMap<>();
    private final Map<Integer, Boolean> votes = new TreeMap<>();
    private int transferee = NONE;
    private boolean broadcastPending;
    /** The current campaign was started by TimeoutNow: its vote requests override leases. */
    private boolean transferCampaign;
    private final ReadIndexQueue reads = new ReadIndexQueue();
    private LeaderLease lease = new LeaderLease();
    private long lastRoundTick;
    /** With quorum fan-out: when the oldest entry not yet committed started waiting. */
    private long uncommittedSinceTick;

    /** The newest snapshot this node has: sent to followers that fell behind the compacted log. */
    private Snapshot latestSnapshot;
    /** A snapshot received from the leader, to be persisted and installed by the runtime. */
    private Snapshot snapshotToInstall;
    private SnapshotAssembly incoming;

    private final List<Message> outbox = new ArrayList<>();
    private final List<Message> outboxAfterPersist = new ArrayList<>();
    private final List<ReadState> readStates = new ArrayList<>();
    private final List<Long> droppedReads = new ArrayList<>();
    private HardState persistedHardState;
    private Role reportedRole;
    private int reportedLeader = NONE;
    private boolean readyOutstanding;
    private java.util.Set<DeliberateBug> bugs = java.util.EnumSet.noneOf(DeliberateBug.class);

    /**
     * @param initial the membership to start with when the restored state carries none (a brand
     *                new cluster); a restored snapshot's membership wins
     */
    public RaftCore(RaftConfig cfg, Configuration initial, RandomGenerator random, RestoredState restored) {
        this.cfg = cfg;
        this.id = cfg.id();
        this.random = random;
        Snapshot snap = restored.snapshot();
        this.latestSnapshot = snap;
        this.conf = snap != null ? snap.meta().configuration() : initial;
        this.log = new RaftLog(snap == null ? 0 : snap.meta().index(), snap == null ? 0 : snap.meta().term(),
                restored.entries(), restored.hardState().commit());
        this.term = restored.hardState().term();
        this.votedFor = restored.hardState().votedFor();
        this.persistedHardState = restored.hardState();
        resetElectionTimer();
    }

    // ------------------------------------------------------------------ inputs

    /** One unit of logical time. */
    public void tick() {
        ticks++;
        if (role == Role.LEADER) {
            tickLeader();
        } else {
            electionElapsed++;
            if (electionElapsed >= randomizedElectionTimeout && conf.isVoter(id)) {
                campaign(cfg.preVote(), false);
            } else if (role != Role.FOLLOWER && electionElapsed % cfg.heartbeatTicks() == 0) {
                resendVoteRequests();
            }
        }
    }

    private void tickLeader() {
        electionElapsed++;
        if (electionElapsed >= cfg.electionTicks()) {
            electionElapsed = 0;
            if (cfg.checkQuorum() && !quorumActive()) {
                becomeFollower(term, NONE);
                return;
            }
            transferee = NONE; // a transfer that did not finish within an election timeout is abandoned
        }
        if (cfg.leaseReads() && ticks - lastRoundTick >= cfg.heartbeatTicks()) {
            startConfirmationRound(); // keeps the lease fresh; heartbeats and appends carry it
        }
        if (cfg.quorumFanout() && log.commitIndex() < log.lastIndex()
                && ticks - uncommittedSinceTick >= 2) {
            // The chosen followers have not made a quorum in time (a lost message, a dead node):
            // everyone who lacks the entries gets them now.
            progress.forEach((peer, pr) -> sendAppends(peer, pr, false));
            uncommittedSinceTick = ticks;
        }
        heartbeatIdleFollowers();
    }

    /** Proposes commands; each becomes one log entry. Only a leader accepts them. */
    public ProposeResult propose(List<byte[]> commands) {
        if (role != Role.LEADER) return new ProposeResult.NotLeader(leader);
        if (transferee != NONE) return new ProposeResult.TransferInProgress(transferee);
        long first = log.lastIndex() + 1;
        List<Entry> batch = new ArrayList<>(commands.size());
        for (byte[] c : commands) batch.add(new Entry(log.lastIndex() + 1 + batch.size(), term, c));
        if (log.commitIndex() == log.lastIndex()) uncommittedSinceTick = ticks;
        log.appendLeaderEntries(batch);
        broadcastPending = true;
        return new ProposeResult.Accepted(first, term);
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
        if (role != Role.LEADER) return new ProposeResult.NotLeader(leader);
        if (cfg.leaseReads() && lease.validAt(ticks) && committedInCurrentTerm() && transferee == NONE) {
            readStates.add(new ReadState(context, log.commitIndex()));
            return new ProposeResult.Accepted(0, term);
        }
        reads.add(context);
        return new ProposeResult.Accepted(0, term);
    }

    /** Hands leadership to {@code target}: catch it up, then tell it to campaign at once. */
    public void transferLeadership(int target) {
        if (role != Role.LEADER || target == id || !conf.isVoter(target)) return;
        transferee = target;
        electionElapsed = 0;
        Progress pr = progress.get(target);
        if (pr.match == log.lastIndex()) {
            sendTimeoutNow(target);
        } else {
            sendAppends(target, pr, false);
        }
    }

    /**
     * The application captured its state after applying {@code index} in a snapshot: drop the log up
     * to there. The runtime persists the snapshot itself before calling this.
     */
    public void compact(long index, byte[] data) {
        if (index <= log.snapshotIndex()) return;
        SnapshotMeta meta = new SnapshotMeta(index, log.termAt(index), conf);
        log.compact(index);
        latestSnapshot = new Snapshot(meta, data);
    }

    /** Switches on deliberate safety bugs: for tests of the test harness only. */
    public void injectBugs(java.util.Set<DeliberateBug> enabled) {
        this.bugs = java.util.EnumSet.noneOf(DeliberateBug.class);
        this.bugs.addAll(enabled);
    }

    /** A message from a peer. */
    public void step(Message m) {
        if (m.to() != id) return;
        if (m.term() > term) {
            if (!acceptHigherTerm(m)) return;
        } else if (m.term() < term) {
            answerStaleTerm(m);
            return;
        }
        switch (m) {
            case VoteRequest r -> onVoteRequest(r);
            case VoteResponse r -> onVoteResponse(r);
            case AppendRequest r -> {
                followLeader(r.from());
                onAppendRequest(r);
            }
            case Heartbeat h -> {
                followLeader(h.from());
                onHeartbeat(h);
            }
            case SnapshotChunk c -> {
                followLeader(c.from());
                onSnapshotChunk(c);
            }
            case AppendResponse r -> { if (role == Role.LEADER) onAppendResponse(r); }
            case HeartbeatResponse r -> { if (role == Role.LEADER) onHeartbeatResponse(r); }
            case SnapshotResponse r -> { if (role == Role.LEADER) onSnapshotResponse(r); }
            case TimeoutNow t -> { if (conf.isVoter(id) && role != Role.LEADER) campaign(false, true); }
        }
    }

    /** Decides whether a message from a higher term moves us to that term (§5.1), or is ignored. */
    private boolean acceptHigherTerm(Message m) {
        switch (m) {
            case VoteRequest r -> {
                // Leader lease (thesis §4.2.3): while we hear from a live leader, a rejoining node's
                // vote requests must not depose it. A transfer's vote was asked for by that leader.
                if (!r.transfer() && inLeaderLease()) return false;
                if (r.preVote()) return true; // answered without changing our term
            }
            case VoteResponse r when r.preVote() && r.granted() -> {
                return true; // the term a pre-vote grant carries is the one we may campaign in
            }
            case AppendRequest r -> becomeFollower(m.term(), r.from());
            case Heartbeat h -> becomeFollower(m.term(), h.from());
            case SnapshotChunk c -> becomeFollower(m.term(), c.from());
            default -> { }
        }
        if (m.term() > term) becomeFollower(m.term(), NONE);
        return true;
    }

    /** A message from an older term is ignored, but its sender may need to learn the new term. */
    private void answerStaleTerm(Message m) {
        switch (m) {
            // A deposed leader's append or heartbeat: tell it the current term, so it steps down
            // (with check-quorum and pre-vote it might otherwise never hear of the new term).
            case AppendRequest r -> send(new AppendResponse(id, r.from(), term, false, r.prevIndex(), 0, 0));
            case Heartbeat h -> send(new HeartbeatResponse(id, h.from(), term, 0));
            case VoteRequest r when r.preVote() -> send(new VoteResponse(id, r.from(), term, false, true));
            default -> { }
        }
    }

    private void sendTimeoutNow(int target) {
        lease.revoke();
        send(new TimeoutNow(id, target, term));
    }

    private boolean inLeaderLease() {
        // With lease reads, a node that just (re)started may have acknowledged a leader before it
        // went down: it keeps that promise for one election timeout after starting.
        if (cfg.leaseReads() && ticks < cfg.electionTicks()) return true;
        return cfg.checkQuorum() && leader != NONE && electionElapsed < cfg.electionTicks();
    }

    // ------------------------------------------------------------------ elections (§5.2)

    private void campaign(boolean preVote, boolean transfer) {
        long campaignTerm;
        if (preVote) {
            role = Role.PRE_CANDIDATE;
            leader = NONE;
            campaignTerm = term + 1;
        } else {
            role = Role.CANDIDATE;
            term++;
            votedFor = id;
            leader = NONE;
            campaignTerm = term;
        }
        clearLeaderState();
        resetElectionTimer();
        transferCampaign = transfer;
        votes.clear();
        votes.put(id, true);
        if (tallyVotes(preVote)) return;
        for (int peer : conf.voters()) {
            if (peer == id) continue;
            send(new VoteRequest(id, peer, campaignTerm, log.lastIndex(), log.lastTerm(), preVote, transfer));
        }
    }

    /** Under message loss an election can otherwise only fail and start over: ask again. */
    private void resendVoteRequests() {
        boolean preVote = role == Role.PRE_CANDIDATE;
        long campaignTerm = preVote ? term + 1 : term;
        for (int peer : conf.voters()) {
            if (peer == id || votes.containsKey(peer)) continue;
            send(new VoteRequest(id, peer, campaignTerm, log.lastIndex(), log.lastTerm(), preVote, transferCampaign));
        }
    }

    private void onVoteRequest(VoteRequest r) {
        boolean free = votedFor == r.from() || (votedFor == NONE && leader == NONE)
                || (r.preVote() && r.term() > term);
        boolean upToDate = bugs.contains(DeliberateBug.SKIP_ELECTION_RESTRICTION)
                || log.isUpToDate(r.lastLogIndex(), r.lastLogTerm());
        if (free && upToDate) {
            if (!r.preVote()) {
                votedFor = r.from();
                electionElapsed = 0;
            }
            // The grant promises a persisted vote: it leaves only after the hard state is durable.
            outboxAfterPersist.add(new VoteResponse(id, r.from(), r.term(), true, r.preVote()));
        } else {
            send(new VoteResponse(id, r.from(), term, false, r.preVote()));
        }
    }

    private void onVoteResponse(VoteResponse r) {
        boolean current = (role == Role.PRE_CANDIDATE && r.preVote()) || (role == Role.CANDIDATE && !r.preVote());
        if (!current) return;
        // A pre-vote grant names the term it was asked for. One for our current term is a late answer
        // to an earlier pre-vote (asked from term - 1), not to this one for term + 1: counting it let
        // a stale grant start the real election that pre-vote exists to prevent.
        if (r.preVote() && r.granted() && r.term() != term + 1) return;
        votes.putIfAbsent(r.from(), r.granted());
        tallyVotes(r.preVote());
    }

    /** Returns true if the election is decided (won, or lost). */
    private boolean tallyVotes(boolean preVote) {
        if (Quorum.isMajority(conf.voters(), v -> Boolean.TRUE.equals(votes.get(v)))) {
            if (preVote) campaign(false, false);
            else becomeLeader();
            return true;
        }
        if (Quorum.isLost(conf.voters(), v -> Boolean.FALSE.equals(votes.get(v)))) {
            becomeFollower(term, NONE);
            return true;
        }
        return false;
    }

    private void becomeFollower(long newTerm, int newLeader) {
        if (newTerm > term) {
            term = newTerm;
            votedFor = NONE;
        }
        role = Role.FOLLOWER;
        leader = newLeader;
        clearLeaderState();
        resetElectionTimer();
    }

    private void followLeader(int from) {
        if (role != Role.FOLLOWER || leader != from) becomeFollower(term, from);
        electionElapsed = 0;
    }

    private void becomeLeader() {
        role = Role.LEADER;
        leader = id;
        clearLeaderState();
        electionElapsed = 0;
        for (int peer : conf.members()) {
            if (peer == id) continue;
            Progress pr = new Progress(log.lastIndex() + 1);
            pr.recentActive = true; // give every follower one election timeout to answer
            progress.put(peer, pr);
        }
        // A no-op of the new term lets the leader commit (and learn) everything before it (§5.4.2, §8).
        log.appendLeaderEntries(List.of(Entry.noop(log.lastIndex() + 1, term)));
        broadcastPending = true;
    }

    private void clearLeaderState() {
        progress.clear();
        lease = new LeaderLease();
        transferee = NONE;
        broadcastPending = false;
        droppedReads.addAll(reads.drain());
    }

    private void resetElectionTimer() {
        electionElapsed = 0;
        randomizedElectionTimeout = cfg.electionTicks() + random.nextInt(cfg.electionTicks());
    }

    private boolean quorumActive() {
        boolean active = Quorum.isMajority(conf.voters(), v -> v == id || progress.get(v).recentActive);
        progress.values().forEach(pr -> pr.recentActive = false);
        return active;
    }

    // ------------------------------------------------------------------ follower side of replication

    private void onAppendRequest(AppendRequest r) {
        long prevIndex = r.prevIndex();
        long prevTerm = r.prevTerm();
        List<Entry> entries = r.entries();
        long commit = log.commitIndex();
        if (prevIndex < commit) {
            // Everything up to our commit index is committed and so matches the leader's log
            // (Leader Completeness, Log Matching): check consistency from there instead.
            if (r.lastIndex() <= commit) {
                outboxAfterPersist.add(new AppendResponse(id, r.from(), term, true, commit, 0, 0, r.round()));
                return;
            }
            entries = entries.subList((int) (commit - prevIndex), entries.size());
            prevIndex = commit;
            prevTerm = log.termAt(commit);
        }
        if (log.matches(prevIndex, prevTerm)) {
            log.appendFollowerEntries(entries);
            long lastNew = prevIndex + entries.size();
            log.commitTo(Math.min(r.commit(), lastNew));
            outboxAfterPersist.add(new AppendResponse(id, r.from(), term, true, lastNew, 0, 0, r.round()));
            return;
        }
        long conflictIndex;
        long conflictTerm;
        if (prevIndex > log.lastIndex()) {
            conflictIndex = log.lastIndex() + 1;
            conflictTerm = 0;
        } else {
            conflictTerm = log.termAt(prevIndex);
            conflictIndex = log.firstIndexOfTermAt(prevIndex);
        }
        send(new AppendResponse(id, r.from(), term, false, r.prevIndex(), conflictIndex, conflictTerm, r.round()));
    }

    private void onHeartbeat(Heartbeat h) {
        log.commitTo(Math.min(h.commit(), log.lastIndex()));
        send(new HeartbeatResponse(id, h.from(), term, h.round()));
    }

    private void onSnapshotChunk(SnapshotChunk c) {
        SnapshotMeta meta = c.meta();
        if (meta.index() <= log.commitIndex()) {
            // We already have everything it holds; the leader can resume from our commit index.
            // That claim covers entries that may still be on their way to our disk (the commit index
            // runs ahead of it), so it leaves only after they are durable: sent at once, it let the
            // leader count (and, after our crash, wait forever for) entries we had lost.
            incoming = null;
            outboxAfterPersist.add(new SnapshotResponse(id, c.from(), term, log.commitIndex(), 0, true));
            return;
        }
        if (c.offset() == 0 && (incoming == null || !incoming.meta.equals(meta) || incoming.size() > 0)) {
            incoming = new SnapshotAssembly(meta);
        }
        if (incoming == null || !incoming.meta.equals(meta) || c.offset() != incoming.size()) {
            long expected = incoming != null && incoming.meta.equals(meta) ? incoming.size() : 0;
            send(new SnapshotResponse(id, c.from(), term, 0, expected, false));
            return;
        }
        incoming.append(c.data());
        if (!c.done()) {
            send(new SnapshotResponse(id, c.from(), term, 0, incoming.size(), false));
            return;
        }
        Snapshot snapshot = incoming.build();
        incoming = null;
        log.restore(meta);
        conf = meta.configuration();
        latestSnapshot = snapshot;
        snapshotToInstall = snapshot;
        outboxAfterPersist.add(new SnapshotResponse(id, c.from(), term, meta.index(), snapshot.data().length, true));
    }

    // ------------------------------------------------------------------ leader side of replication

    private void onAppendResponse(AppendResponse r) {
        Progress pr = progress.get(r.from());
        if (pr == null) return;
        pr.recentActive = true;
        pr.lastHeardTick = ticks;
        // Even a rejection shows the follower took us for its leader when it got the request.
        acknowledgeRound(r.from(), pr, r.round());
        if (r.success()) {
            boolean moved = pr.acknowledge(r.index());
            if (pr.mode == Progress.Mode.PROBE
                    || pr.mode == Progress.Mode.SNAPSHOT && pr.match >= pr.pendingSnapshot.index()) {
                pr.becomeReplicate();
            }
            if (moved) maybeCommit();
            if (r.from() == transferee && pr.match == log.lastIndex()) {
                sendTimeoutNow(r.from());
            }
            sendAppends(r.from(), pr, false);
            return;
        }
        if (!isCurrentRejection(pr, r.index())) return;
        long next = r.conflictIndex();
        if (r.conflictTerm() > 0) {
            long last = log.lastIndexOfTerm(r.conflictTerm());
            if (last > 0) next = last + 1;
        }
        next = Math.min(next, r.index());
        pr.becomeProbe();
        pr.next = Math.max(pr.match + 1, Math.min(next, log.lastIndex() + 1));
        sendAppends(r.from(), pr, true);
    }

    /** A rejection of an append we no longer care about (reordered or duplicated) is ignored. */
    private static boolean isCurrentRejection(Progress pr, long rejectedPrevIndex) {
        return switch (pr.mode) {
            case REPLICATE -> rejectedPrevIndex > pr.match;
            case PROBE -> rejectedPrevIndex == pr.next - 1;
            case SNAPSHOT -> false;
        };
    }

    /**
     * A follower answered a message of confirmation round {@code round}. Once a quorum has, the
     * reads waiting on that round are safe, and the lease (if used) runs from the round's start.
     */
    private void acknowledgeRound(int from, Progress pr, long round) {
        if (round <= pr.ackedRound) return;
        pr.ackedRound = round;
        if (!conf.isVoter(from)) return;
        long confirmed = Quorum.majorityValue(conf.voters(),
                v -> v == id ? reads.currentRound() : progress.get(v).ackedRound);
        reads.release(confirmed, readStates);
        lease.confirmed(confirmed, cfg.electionTicks());
    }

    /**
     * Starts a confirmation round. Reads waiting for one join it, provided this term has committed
     * an entry: only then is our commit index known to be at least that of every earlier leader
     * (thesis §6.4, step 1).
     */
    private void startConfirmationRound() {
        if (reads.hasUnassigned() && committedInCurrentTerm()) {
            reads.startRound(log.commitIndex());
        } else {
            reads.startEmptyRound();
        }
        lease.roundStarted(reads.currentRound(), ticks);
        lastRoundTick = ticks;
        if (conf.voters().size() == 1) {
            reads.release(reads.currentRound(), readStates);
            lease.confirmed(reads.currentRound(), cfg.electionTicks());
        }
    }

    private boolean committedInCurrentTerm() {
        return log.termAt(log.commitIndex()) == term;
    }

    private void onHeartbeatResponse(HeartbeatResponse r) {
        Progress pr = progress.get(r.from());
        if (pr == null) return;
        pr.recentActive = true;
        pr.lastHeardTick = ticks;
        pr.probeSent = false;
        acknowledgeRound(r.from(), pr, r.round());
        switch (pr.mode) {
            case SNAPSHOT -> sendSnapshotChunk(r.from(), pr); // the last chunk or its answer may be lost
            case REPLICATE -> {
                if (pr.match < log.lastIndex()) {
                    // Appends may have been lost: make room and send (possibly empty) to find out.
                    if (pr.inflightFull(cfg.maxInflight())) pr.freeOneInflight();
                    sendAppends(r.from(), pr, true);
                }
            }
            case PROBE -> {
                if (pr.match < log.lastIndex()) sendAppends(r.from(), pr, true);
            }
        }
    }

    private void onSnapshotResponse(SnapshotResponse r) {
        Progress pr = progress.get(r.from());
        if (pr == null) return;
        pr.recentActive = true;
        if (r.installed()) {
            pr.acknowledge(r.index());
            pr.becomeProbe();
            pr.next = pr.match + 1;
            maybeCommit();
            sendAppends(r.from(), pr, false);
        } else if (pr.mode == Progress.Mode.SNAPSHOT) {
            pr.snapshotOffset = r.nextOffset();
            sendSnapshotChunk(r.from(), pr);
        }
    }

    private void maybeCommit() {
        long candidate = Quorum.majorityValue(conf.voters(),
                v -> v == id ? log.stableIndex() : progress.get(v).match);
        // Only entries of the current term are committed by counting replicas (§5.4.2).
        boolean countsEarlierTerms = bugs.contains(DeliberateBug.COMMIT_PREVIOUS_TERM_BY_COUNTING);
        if (candidate > log.commitIndex() && (log.termAt(candidate) == term || countsEarlierTerms)) {
            log.commitTo(candidate);
            uncommittedSinceTick = ticks;
        }
    }

    /**
     * Sends appends to one follower while it has room: one in PROBE mode, a pipeline of up to
     * {@code maxInflight} in REPLICATE mode. With {@code evenIfEmpty} one empty append is sent when
     * there is nothing new, to learn where the follower stands.
     */
    private void sendAppends(int to, Progress pr, boolean evenIfEmpty) {
        while (!pr.isPaused(cfg.maxInflight())) {
            long prevIndex = pr.next - 1;
            long prevTerm = log.termAt(prevIndex);
            if (prevTerm < 0) {
                startSnapshot(to, pr);
                return;
            }
            List<Entry> entries = pr.next <= log.lastIndex() ? log.slice(pr.next, cfg.maxBytesPerAppend()) : List.of();
            if (entries.isEmpty() && !evenIfEmpty) return;
            send(new AppendRequest(id, to, term, prevIndex, prevTerm, entries, log.commitIndex(), reads.currentRound()));
            pr.sentSinceTick = true;
            pr.sent(prevIndex + entries.size(), !entries.isEmpty());
            if (entries.isEmpty()) return;
            evenIfEmpty = false;
        }
    }

    private void startSnapshot(int to, Progress pr) {
        if (latestSnapshot == null) throw new IllegalStateException("log compacted without a snapshot");
        pr.becomeSnapshot(latestSnapshot.meta());
        sendSnapshotChunk(to, pr);
    }

    private void sendSnapshotChunk(int to, Progress pr) {
        if (!latestSnapshot.meta().equals(pr.pendingSnapshot)) {
            pr.becomeSnapshot(latestSnapshot.meta()); // a newer snapshot replaced it: start over
        }
        byte[] data = latestSnapshot.data();
        int offset = (int) Math.min(pr.snapshotOffset, data.length);
        int length = Math.min(cfg.snapshotChunkBytes(), data.length - offset);
        byte[] chunk = java.util.Arrays.copyOfRange(data, offset, offset + length);
        send(new SnapshotChunk(id, to, term, latestSnapshot.meta(), offset, chunk, offset + length == data.length));
    }

    /**
     * Heartbeats assert leadership and carry the commit index. Each follower gets one once it has
     * been sent nothing for heartbeatTicks ticks: a follower busy with appends needs none.
     *
     * <p>The count is per follower, from the last message it was sent. (A single leader-wide timer
     * that skipped followers sent an append since its last firing let a follower go up to 2 *
     * heartbeatTicks without a message, so with electionTicks <= 2 * heartbeatTicks followers of a
     * healthy leader timed out.) Now a follower waits less than heartbeatTicks + 1 ticks.
     */
    private void heartbeatIdleFollowers() {
        for (var e : progress.entrySet()) {
            Progress pr = e.getValue();
            pr.idleTicks = pr.sentSinceTick ? 0 : pr.idleTicks + 1;
            pr.sentSinceTick = false;
            if (pr.idleTicks < cfg.heartbeatTicks()) continue;
            // A follower left behind by quorum fan-out catches up instead: the append is its heartbeat.
            if (pr.match < log.lastIndex()) sendAppends(e.getKey(), pr, false);
            if (!pr.sentSinceTick) sendHeartbeat(e.getKey(), pr);
        }
    }

    /**
     * Who gets new entries at once. Normally every follower; with quorum fan-out only as many
     * voters as a quorum needs besides us, preferring those that answered most recently (a dead or
     * cut-off follower soon stops being chosen), then the most caught up.
     */
    private void broadcastNewEntries() {
        if (!cfg.quorumFanout()) {
            progress.forEach((peer, pr) -> sendAppends(peer, pr, false));
            return;
        }
        List<Integer> chosen = new ArrayList<>();
        for (int v : conf.voters()) if (v != id && !progress.get(v).isPaused(cfg.maxInflight())) chosen.add(v);
        chosen.sort((a, b) -> {
            Progress pa = progress.get(a);
            Progress pb = progress.get(b);
            if (pa.lastHeardTick != pb.lastHeardTick) return Long.compare(pb.lastHeardTick, pa.lastHeardTick);
            if (pa.match != pb.match) return Long.compare(pb.match, pa.match);
            return Integer.compare(a, b);
        });
        int needed = conf.quorum() - (conf.isVoter(id) ? 1 : 0);
        for (int v : chosen.subList(0, Math.min(needed, chosen.size()))) sendAppends(v, progress.get(v), false);
    }

    /** A heartbeat to every follower at once: a ReadIndex confirmation round. */
    private void broadcastHeartbeats() {
        progress.forEach(this::sendHeartbeat);
    }

    private void sendHeartbeat(int to, Progress pr) {
        pr.idleTicks = 0;
        send(new Heartbeat(id, to, term, Math.min(pr.match, log.commitIndex()), reads.currentRound()));
    }

    private void flushLeaderWork() {
        if (role != Role.LEADER) return;
        if (broadcastPending) {
            broadcastPending = false;
            broadcastNewEntries();
        }
        if (reads.hasUnassigned() && committedInCurrentTerm()) {
            startConfirmationRound();
            if (conf.voters().size() > 1) broadcastHeartbeats();
        }
    }

    private void send(Message m) {
        outbox.add(m);
    }

    // ------------------------------------------------------------------ output

    public boolean hasReady() {
        if (readyOutstanding) return false;
        return !outbox.isEmpty() || !outboxAfterPersist.isEmpty() || snapshotToInstall != null
                || log.hasUnstable()
                || !currentHardState().equals(persistedHardState)
                || Math.min(log.commitIndex(), log.stableIndex()) > log.appliedIndex()
                || !readStates.isEmpty() || role != reportedRole || leader != reportedLeader
                || role == Role.LEADER && (broadcastPending || reads.hasUnassigned() && log.termAt(log.commitIndex()) == term);
    }

    public Ready ready() {
        if (readyOutstanding) throw new IllegalStateException("advance() the previous Ready first");
        flushLeaderWork();
        HardState hs = currentHardState();
        Ready rd = new Ready(role, leader, term,
                hs.equals(persistedHardState) ? null : hs,
                snapshotToInstall,
                log.takeUnstable(),
                List.copyOf(outbox),
                List.copyOf(outboxAfterPersist),
                log.takeCommitted(),
                List.copyOf(readStates));
        outbox.clear();
        outboxAfterPersist.clear();
        readStates.clear();
        snapshotToInstall = null;
        reportedRole = role;
        reportedLeader = leader;
        readyOutstanding = true;
        return rd;
    }

    /** The runtime carried out {@code rd}: its hard state, snapshot and entries are durable. */
    public void advance(Ready rd) {
        if (!readyOutstanding) throw new IllegalStateException("no Ready outstanding");
        readyOutstanding = false;
        if (rd.hardState() != null) persistedHardState = rd.hardState();
        if (!rd.entries().isEmpty()) {
            log.markPersisted(rd.entries().getLast().index());
            if (role == Role.LEADER) maybeCommit();
        }
    }

    /** Reads lost with leadership since the last call: their clients must retry (definite failure). */
    public List<Long> takeDroppedReads() {
        List<Long> out = List.copyOf(droppedReads);
        droppedReads.clear();
        return out;
    }

    private HardState currentHardState() {
        return new HardState(term, votedFor, log.commitIndex());
    }

    // ------------------------------------------------------------------ inspection

    public int id() { return id; }

    public Role role() { return role; }

    public long term() { return term; }

    public int leader() { return leader; }

    public long commitIndex() { return log.commitIndex(); }

    public long lastIndex() { return log.lastIndex(); }

    public Configuration configuration() { return conf; }

    /** The term of the entry at {@code index}, or -1 if it is compacted or absent. */
    public long termAt(long index) { return log.termAt(index); }

    public Status status() {
        Map<Integer, Long> match = new TreeMap<>();
        progress.forEach((peer, pr) -> match.put(peer, pr.match));
        return new Status(id, role, term, leader, votedFor, log.commitIndex(), log.appliedIndex(),
                log.lastIndex(), log.snapshotIndex(), conf, match);
    }
}
