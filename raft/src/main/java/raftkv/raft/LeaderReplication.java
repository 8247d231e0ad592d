package raftkv.raft;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import raftkv.raft.Message.AppendRequest;
import raftkv.raft.Message.AppendResponse;
import raftkv.raft.Message.Heartbeat;
import raftkv.raft.Message.HeartbeatResponse;
import raftkv.raft.Message.SnapshotChunk;
import raftkv.raft.Message.SnapshotResponse;
import raftkv.raft.Message.TimeoutNow;

/**
 * The leader's side of log replication (§5.3, §7): a {@link Progress} per follower, appends
 * (pipelined or probing), snapshots for followers behind the compacted log, heartbeats, the answers
 * to all of them, the commit rule (§5.4.2), leadership transfer (thesis §3.10) and check-quorum.
 * With {@link RaftConfig#quorumFanout()}, {@link QuorumFanout} chooses which followers get new
 * entries at once.
 *
 * <p>All of it is leader state: the core calls {@link #reset()} whenever the role changes, and
 * {@link #start()} once it wins an election.
 */
final class LeaderReplication {
    private final NodeState s;
    private final ConfirmationRounds rounds;
    private final Map<Integer, Progress> progress = new TreeMap<>();
    private int transferee = RaftCore.NONE;
    /** Entries were appended that followers have not been offered yet: sent with the next Ready. */
    private boolean broadcastPending;
    /** Which followers get new entries, and when and to whom they go again. Leader state, like the rest. */
    private QuorumFanout fanout;
    /** Check-quorum periods in a row that ended without a quorum heard from. */
    private int quorumMissedPeriods;
    /** The tick this node last became leader. */
    private long leaderSinceTick;
    /**
     * Check-quorum neared with no quorum heard in this period ({@link #probeSilentFollowers}):
     * the leader probes until the period ends or a quorum is heard ({@link #probing}).
     */
    private boolean quorumProbing;

    LeaderReplication(NodeState s, ConfirmationRounds rounds) {
        this.s = s;
        this.rounds = rounds;
        this.fanout = newFanout();
    }

    /**
     * This node just won: every other member starts at our log's end, as if active. Those that
     * answered the vote count as just heard from, so that quorum fan-out offers the first entries
     * to them rather than to a peer that may have died with the previous leader.
     */
    void start(java.util.Set<Integer> answeredVote) {
        leaderSinceTick = s.ticks;
        fanout.start();
        for (int peer : s.conf.members()) {
            if (peer == s.id) continue;
            Progress pr = new Progress(s.log.lastIndex() + 1);
            pr.recentActive = true; // give every follower one election timeout to answer
            if (answeredVote.contains(peer)) pr.lastHeardTick = s.ticks;
            progress.put(peer, pr);
        }
    }

    private QuorumFanout newFanout() {
        return new QuorumFanout(s, progress, (to, pr) -> sendAppends(to, pr, false));
    }

    void reset() {
        progress.clear();
        quorumProbing = false;
        fanout = newFanout();
        transferee = RaftCore.NONE;
        broadcastPending = false;
        quorumMissedPeriods = 0;
    }

    int transferee() {
        return transferee;
    }

    /** A transfer that did not finish within an election timeout is abandoned. */
    void abandonTransfer() {
        transferee = RaftCore.NONE;
    }

    boolean broadcastPending() {
        return broadcastPending;
    }

    /** The leader appended entries: offer them to followers when the next Ready is taken. */
    void entriesAppended() {
        broadcastPending = true;
    }

    /** Sends what {@link #entriesAppended} left pending. */
    void flush() {
        if (!broadcastPending) return;
        broadcastPending = false;
        broadcastNewEntries();
    }

    /** The match index of each follower, for {@link Status}. */
    Map<Integer, Long> matchIndexes() {
        Map<Integer, Long> match = new TreeMap<>();
        progress.forEach((peer, pr) -> match.put(peer, pr.match));
        return match;
    }

    /**
     * Check-quorum, at the end of each period: whether the leader should step down, having heard
     * from too few followers. Starts the next period. Under heavy loss (a wide fan-out) one period
     * without a quorum is forgiven: a connected leader's answers are then often lost by chance,
     * and a needless election costs more than a deposed leader's second period. (Safety does not
     * rest on this: lease reads have their own, per-round {@link LeaderLease}.)
     */
    boolean quorumLost() {
        quorumProbing = false;
        boolean heard = quorumHeard();
        progress.values().forEach(pr -> pr.recentActive = false);
        quorumMissedPeriods = heard ? 0 : quorumMissedPeriods + 1;
        return quorumMissedPeriods > (heavyLoss() ? 1 : 0);
    }

    /** Quorum fan-out has widened: most answers are being lost. */
    boolean heavyLoss() {
        return s.cfg.quorumFanout() && fanout.wide();
    }

    /** Whether a quorum (us included) was heard from since the last check-quorum. */
    private boolean quorumHeard() {
        return Quorum.isMajority(s.conf.voters(), v -> v == s.id || progress.get(v).recentActive);
    }

    /**
     * Check-quorum is near and no quorum has been heard from in this period: every follower not
     * heard from gets a heartbeat, so that a leader that is still connected is not deposed by the
     * chance loss of a few answers.
     */
    void probeSilentFollowers() {
        if (quorumHeard()) return;
        quorumProbing = true;
        progress.forEach((peer, pr) -> { if (!pr.recentActive) sendHeartbeat(peer, pr); });
    }

    /** A leader's tick, after the election-timeout checks: retransmission, fan-out retries, heartbeats. */
    void tick() {
        if (s.cfg.quorumFanout()) {
            // Lost appends are retried by fan-out as a whole (below); snapshots per follower.
            // Loops, not forEach with a lambda: this runs every tick (cs3700/REPLICA.md, CPU per message).
            if (s.cfg.retransmitTicks() > 0) {
                for (var e : progress.entrySet()) {
                    if (e.getValue().mode == Progress.Mode.SNAPSHOT) retransmitIfOverdue(e.getKey(), e.getValue());
                }
            }
            fanout.tick();
        } else if (s.cfg.retransmitTicks() > 0) {
            for (var e : progress.entrySet()) retransmitIfOverdue(e.getKey(), e.getValue());
        }
        heartbeatIdleFollowers();
    }

    /**
     * Resends what a follower has not answered for a while, rather than waiting for the heartbeat
     * round trip to reveal the loss. The wait doubles while the follower stays silent (it may be
     * down), up to the heartbeat interval, so a dead follower costs no more than heartbeats do.
     */
    private void retransmitIfOverdue(int peer, Progress pr) {
        if (!pr.hasOutstanding()) return;
        // Only a loss that holds up a commit is urgent; committed entries catch up with the heartbeat.
        boolean urgent = pr.mode == Progress.Mode.SNAPSHOT
                || s.log.commitIndex() < s.log.lastIndex() && pr.match < s.log.lastIndex();
        if (!urgent) return;
        long wait = Math.min((long) s.cfg.retransmitTicks() << Math.min(pr.retransmitShift, 20), s.cfg.heartbeatTicks());
        if (s.ticks - pr.outstandingSince < wait) return;
        pr.retransmitShift++;
        switch (pr.mode) {
            case SNAPSHOT -> sendSnapshotChunk(peer, pr);
            case PROBE, REPLICATE -> {
                // Whatever was in flight is presumed lost: probe again from what is known to match.
                pr.becomeProbe();
                pr.next = pr.match + 1;
                sendAppends(peer, pr, true);
            }
        }
        pr.outstandingSince = s.ticks;
    }

    /**
     * The follower answered: it is active and heard from now, nothing sent to it waits unanswered
     * any more, and its retransmission timer restarts from now, at the shortest wait.
     */
    private static void answered(Progress pr, long now) {
        pr.recentActive = true;
        pr.lastHeardTick = now;
        pr.sentSinceHeard = 0;
        pr.roundsWhileGone = 0;
        pr.retransmitShift = 0;
        pr.outstandingSince = now;
    }

    /** Hands leadership to {@code target}: catch it up, then tell it to campaign at once. */
    void transferLeadership(int target) {
        transferee = target;
        s.electionElapsed = 0;
        Progress pr = progress.get(target);
        if (pr.match == s.log.lastIndex()) {
            sendTimeoutNow(target);
        } else {
            sendAppends(target, pr, false);
        }
    }

    private void sendTimeoutNow(int target) {
        rounds.revokeLease();
        s.send(new TimeoutNow(s.id, target, s.term));
    }

    // ------------------------------------------------------------------ answers

    void onAppendResponse(AppendResponse r) {
        Progress pr = progress.get(r.from());
        if (pr == null) return;
        answered(pr, s.ticks);
        rounds.acknowledge(r.from(), r.round());
        if (r.success()) {
            boolean moved = pr.acknowledge(r.index());
            if (pr.mode == Progress.Mode.PROBE
                    || pr.mode == Progress.Mode.SNAPSHOT && pr.match >= pr.pendingSnapshot.index()) {
                pr.becomeReplicate();
            }
            if (moved) maybeCommit();
            if (r.from() == transferee && pr.match == s.log.lastIndex()) {
                sendTimeoutNow(r.from());
            }
            sendAppends(r.from(), pr, false);
            return;
        }
        if (!isCurrentRejection(pr, r.index())) return;
        long next = r.conflictIndex();
        if (r.conflictTerm() > 0) {
            long last = s.log.lastIndexOfTerm(r.conflictTerm());
            if (last > 0) next = last + 1;
        }
        next = Math.min(next, r.index());
        pr.becomeProbe();
        pr.next = Math.max(pr.match + 1, Math.min(next, s.log.lastIndex() + 1));
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

    void onHeartbeatResponse(HeartbeatResponse r) {
        Progress pr = progress.get(r.from());
        if (pr == null) return;
        if (pr.heartbeatUnanswered) fanout.heartbeat(r.from(), true);
        pr.heartbeatUnanswered = false;
        answered(pr, s.ticks);
        pr.probeSent = false;
        rounds.acknowledge(r.from(), r.round());
        switch (pr.mode) {
            case SNAPSHOT -> sendSnapshotChunk(r.from(), pr); // the last chunk or its answer may be lost
            case REPLICATE -> {
                if (pr.match < s.log.lastIndex()) {
                    // Appends may have been lost: make room and send (possibly empty) to find out.
                    if (pr.inflightFull(s.cfg.maxInflight())) pr.freeOneInflight();
                    sendAppends(r.from(), pr, true);
                }
            }
            case PROBE -> {
                if (pr.match < s.log.lastIndex()) sendAppends(r.from(), pr, true);
            }
        }
    }

    void onSnapshotResponse(SnapshotResponse r) {
        Progress pr = progress.get(r.from());
        if (pr == null) return;
        answered(pr, s.ticks);
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

    /** Commits what a quorum holds, counting our own log only as far as it is durable. */
    void maybeCommit() {
        long candidate = Quorum.majorityValue(s.conf.voters(),
                v -> v == s.id ? s.log.stableIndex() : progress.get(v).match);
        // Only entries of the current term are committed by counting replicas (§5.4.2).
        boolean countsEarlierTerms = s.bugs.contains(DeliberateBug.COMMIT_PREVIOUS_TERM_BY_COUNTING);
        if (candidate > s.log.commitIndex() && (s.log.termAt(candidate) == s.term || countsEarlierTerms)) {
            s.log.commitTo(candidate);
            fanout.committed();
        }
    }

    // ------------------------------------------------------------------ sending

    /**
     * Sends appends to one follower while it has room: one in PROBE mode, a pipeline of up to
     * {@code maxInflight} in REPLICATE mode. With {@code evenIfEmpty} one empty append is sent when
     * there is nothing new, to learn where the follower stands.
     */
    private void sendAppends(int to, Progress pr, boolean evenIfEmpty) {
        while (!pr.isPaused(s.cfg.maxInflight())) {
            long prevIndex = pr.next - 1;
            long prevTerm = s.log.termAt(prevIndex);
            if (prevTerm < 0) {
                startSnapshot(to, pr);
                return;
            }
            List<Entry> entries = pr.next <= s.log.lastIndex()
                    ? s.log.slice(pr.next, s.cfg.maxBytesPerAppend()) : List.of();
            if (entries.isEmpty() && !evenIfEmpty) return;
            s.send(new AppendRequest(s.id, to, s.term, prevIndex, prevTerm, entries, s.log.commitIndex(),
                    rounds.currentRound()));
            pr.toldIdle = s.slowdown() > 1;
            pr.sentSinceTick = true;
            pr.sentSinceHeard++;
            if (!pr.hasOutstanding()) pr.outstandingSince = s.ticks;
            pr.sent(prevIndex + entries.size(), !entries.isEmpty());
            if (entries.isEmpty()) return;
            evenIfEmpty = false;
        }
    }

    private void startSnapshot(int to, Progress pr) {
        if (s.latestSnapshot == null) throw new IllegalStateException("log compacted without a snapshot");
        pr.becomeSnapshot(s.latestSnapshot.meta());
        sendSnapshotChunk(to, pr);
    }

    private void sendSnapshotChunk(int to, Progress pr) {
        Snapshot snap = s.latestSnapshot;
        if (!snap.meta().equals(pr.pendingSnapshot)) {
            pr.becomeSnapshot(snap.meta()); // a newer snapshot replaced it: start over
        }
        byte[] data = snap.data();
        int offset = (int) Math.min(pr.snapshotOffset, data.length);
        int length = Math.min(s.cfg.snapshotChunkBytes(), data.length - offset);
        byte[] chunk = Arrays.copyOfRange(data, offset, offset + length);
        s.send(new SnapshotChunk(s.id, to, s.term, snap.meta(), offset, chunk, offset + length == data.length));
        pr.outstandingSince = s.ticks;
    }

    /**
     * Heartbeats assert leadership and carry the commit index. Each follower gets one once it has
     * been sent nothing for heartbeatTicks ticks: a follower busy with appends needs none.
     *
     * <p>The count is per follower, from the last message it was sent. (A single leader-wide timer
     * that skipped followers sent an append since its last firing let a follower go up to 2 *
     * heartbeatTicks without a message, so with electionTicks <= 2 * heartbeatTicks followers of a
     * healthy leader timed out.) Now a follower waits less than heartbeatTicks + 1 ticks, and at
     * least half of that.
     */
    private void heartbeatIdleFollowers() {
        boolean anyDue = false;
        for (Progress pr : progress.values()) {
            pr.idleTicks = pr.sentSinceTick ? 0 : pr.idleTicks + 1;
            pr.sentSinceTick = false;
            anyDue |= pr.idleTicks >= heartbeatTicks(pr);
        }
        if (!anyDue) return;
        // Followers more than half-way to their heartbeat get theirs now too: idle followers settle
        // on one schedule, and their heartbeats leave together (one message per loop turn and peer
        // is cheaper for a transport that batches, such as the course replica's relay chains).
        for (var e : progress.entrySet()) {
            Progress pr = e.getValue();
            // (Not one presumed down: its heartbeat would only be sent the sooner, never chained.)
            int early = presumedDown(pr) ? heartbeatTicks(pr) : (heartbeatTicks(pr) + 1) / 2;
            if (pr.idleTicks < early) continue;
            // A follower left behind by quorum fan-out catches up instead: the append is its heartbeat.
            if (pr.match < s.log.lastIndex()) sendAppends(e.getKey(), pr, false);
            if (!pr.sentSinceTick) sendHeartbeat(e.getKey(), pr);
        }
    }

    /**
     * A follower's heartbeat interval. One silent for {@link #PRESUMED_DOWN_AFTER} election
     * timeouts is presumed down (dead, or cut off for long): it gets a heartbeat every
     * {@link #PRESUMED_DOWN_SPACING} intervals, enough to find it again when it comes back, without
     * a message every interval for the rest of its absence. Five, not three (until the seventeenth
     * session): a partition of a few seconds then ends before the follower is presumed down, and
     * it hears from us within an interval of the heal, not up to four (a cut-off follower knows no
     * leader, and holds its clients until it hears one).
     */
    private int heartbeatTicks(Progress pr) {
        // Sparser only once the follower has been told we are idle: it would time out waiting otherwise.
        int interval = s.cfg.heartbeatTicks() * (pr.toldIdle ? s.slowdown() : 1);
        return presumedDown(pr) ? PRESUMED_DOWN_SPACING * interval : interval;
    }

    private boolean presumedDown(Progress pr) {
        long silentSince = Math.max(pr.lastHeardTick, leaderSinceTick); // a new leader heard no one yet
        return s.ticks - silentSince > (long) PRESUMED_DOWN_AFTER * s.electionTicksNow();
    }

    static final int PRESUMED_DOWN_AFTER = 5;
    static final int PRESUMED_DOWN_SPACING = 4;

    /** Who gets new entries at once: every follower, or with quorum fan-out as {@link QuorumFanout} chooses. */
    private void broadcastNewEntries() {
        if (s.cfg.quorumFanout()) fanout.broadcast();
        else progress.forEach((peer, pr) -> sendAppends(peer, pr, false));
    }

    /**
     * Whether the transport should send each message directly, not through another follower
     * ({@link RaftCore#probingFollowers}): while the commit stalls ({@link QuorumFanout#probing}),
     * and from the moment check-quorum nears without a quorum heard (the heartbeats of {@link
     * #probeSilentFollowers}) until a quorum is heard or the period ends: chained with partners
     * across a partition, those heartbeats came back from no one, and a leader with a quorum on
     * its side stepped down (cs3700/REPLICA.md, "Probing a stalled commit").
     */
    boolean probing() {
        return quorumProbing && !quorumHeard() || fanout.probing();
    }

    /** The transport heard nothing from the newest round's followers in time: see {@link QuorumFanout#hedgeRound}. */
    void hedgeRound() {
        if (s.cfg.quorumFanout()) fanout.hedgeRound();
    }

    /**
     * A member asked us for a pre-vote: it stopped hearing from us (lost messages, or presumed down
     * and heartbeaten only every few intervals). A heartbeat now brings it back to following us;
     * a refusal would leave it campaigning, and asking again, until our next heartbeat came.
     *
     * <p>The request also proves the member alive and able to reach us: it counts as heard from
     * (not as an answer: check-quorum and the lease still wait for one). Under heavy loss a live
     * follower whose answers were lost several times in a row stops being offered new entries
     * until we hear from it; one advanced-3 run left a follower out for 6 s while its pre-votes
     * reached us and our one heartbeat in reply was lost, each time, and the rounds meanwhile were
     * chains (a third get through) instead of stars (half).
     */
    void remindOfLeadership(int peer) {
        Progress pr = progress.get(peer);
        if (pr == null) {
            s.send(new Message.VoteResponse(s.id, peer, s.term, false, true));
        } else {
            pr.lastHeardTick = s.ticks;
            pr.sentSinceHeard = 0;
            pr.roundsWhileGone = 0;
            sendHeartbeat(peer, pr);
        }
    }

    /**
     * A vote of this term came after we had already won: the voter is alive and within reach, as
     * much as those whose answers came in time ({@link #start}). Not heard, it stayed out of our
     * first rounds, and in one course run the rounds meanwhile went, three times, to a pair the
     * network dropped, for 0.5 s.
     */
    void heardVoteAnswer(int peer) {
        Progress pr = progress.get(peer);
        if (pr != null) pr.lastHeardTick = Math.max(pr.lastHeardTick, s.ticks);
    }

    /** A heartbeat to every follower at once: a ReadIndex confirmation round. */
    void broadcastHeartbeats() {
        progress.forEach(this::sendHeartbeat);
    }

    private void sendHeartbeat(int to, Progress pr) {
        pr.idleTicks = 0;
        if (pr.heartbeatUnanswered) fanout.heartbeat(to, false);
        pr.heartbeatUnanswered = true;
        pr.sentSinceHeard++;
        pr.toldIdle = s.slowdown() > 1;
        s.send(new Heartbeat(s.id, to, s.term, Math.min(pr.match, s.log.commitIndex()), rounds.currentRound()));
    }
}
