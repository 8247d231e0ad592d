package raftkv.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * With {@link RaftConfig#quorumFanout()}: which followers a leader offers new entries to, and
 * which it retries, hedges and probes them with. The {@link FanoutPolicy} says how many and when;
 * {@link SilentPairs} which followers not to try together again; {@link LeaderReplication} owns the
 * followers' {@link Progress} and sends. Leader state: a new one for every leadership.
 */
final class QuorumFanout {
    /** Sends a follower the entries it lacks, from its next index (nothing when it lacks none). */
    interface Appender {
        void sendAppends(int to, Progress pr);
    }

    private final NodeState s;
    private final Map<Integer, Progress> progress;
    private final Appender appender;
    private final FanoutPolicy policy;
    /** Followers a narrow round went to in vain together. */
    private final SilentPairs silentPairs = new SilentPairs();
    /** The tick this node became leader. */
    private long leaderSinceTick;
    /** The tick the entries now waiting for a commit began to wait: the last commit, or the first round after one. */
    private long commitWaitSince;
    /**
     * Retries sent since the commit stalled ({@link #commitStalled}); zero again once it moves. The
     * first goes to a pairing {@link SilentPairs} has not seen fail; from the second on the leader
     * probes ({@link #probing}).
     */
    private int stalledRetries;

    QuorumFanout(NodeState s, Map<Integer, Progress> progress, Appender appender) {
        this.s = s;
        this.progress = progress;
        this.appender = appender;
        this.policy = new FanoutPolicy(s, peer -> progress.get(peer).match, peer -> progress.get(peer).lastHeardTick);
    }

    /** This node just won an election. */
    void start() {
        leaderSinceTick = s.ticks;
        commitWaitSince = s.ticks;
        stalledRetries = 0;
    }

    /** Rounds go wide: most answers are being lost. */
    boolean wide() {
        return policy.wide();
    }

    /** A heartbeat to {@code peer} was answered before the next one went, or was not. */
    void heartbeat(int peer, boolean answered) {
        policy.heartbeat(peer, answered);
    }

    /** The commit index moved: the retry wait starts over, and the commit no longer stalls. */
    void committed() {
        commitWaitSince = s.ticks;
        stalledRetries = 0;
        policy.committed();
    }

    /** A leader's tick: the round waiting to be judged, if old enough, then a retry if one is due. */
    void tick() {
        policy.tick();
        if (policy.retryDue()) retry();
    }

    /**
     * Offers new entries to as many followers as the {@link FanoutPolicy} says, preferring those
     * that answered most recently (a dead or cut-off follower soon stops being chosen), then the
     * most caught up.
     */
    void broadcast() {
        // The previous round's entries still wait if the commit index is behind what followers were offered.
        boolean olderPending = false;
        for (Progress pr : progress.values()) olderPending |= pr.next - 1 > s.log.commitIndex();
        List<Integer> chosen = mostRecentlyHeardVoters(pr -> !pr.isPaused(s.cfg.maxInflight()) || overdue(pr), false);
        // A new leader has heard only its voters this term; another follower may have died with the
        // previous leader. While those heard this term can make a quorum, new entries wait for them
        // (busy with the round before, they answer within milliseconds) rather than go to one that
        // may be dead: after a kill, a burst of clients' retries went to the dead leader and waited
        // for the retry, 60-200 ms (cs3700/REPLICA.md, "A new leader's first rounds").
        if (!policy.wide() && votersHeardThisTerm() >= quorumBesidesUs()) {
            chosen.removeIf(v -> !heardThisTerm(progress.get(v)));
            if (chosen.isEmpty()) { // they answer, and are sent these entries then
                if (!olderPending) commitWaitSince = s.ticks;
                return;
            }
        }
        // A follower that left earlier appends unanswered may have died: the others first. One that
        // may not answer at all comes last: a wide round's spare goes to one that may.
        chosen.sort(java.util.Comparator.comparing((Integer v) -> !mayAnswer(progress.get(v)))
                .thenComparing(v -> overdue(progress.get(v))));
        int heardLately = 0;
        int mayAnswer = 0;
        for (int v : chosen) {
            if (liveFollower(progress.get(v))) heardLately++;
            if (mayAnswer(progress.get(v))) mayAnswer++;
        }
        int width = policy.width(quorumBesidesUs(), heardLately, mayAnswer);
        List<Integer> recipients = commitStalled() ? silentPairs.choose(chosen, width, s.ticks, leaderSinceTick, this::matchOf, this::lastHeardTick)
                : chosen.subList(0, Math.min(width, chosen.size()));
        progress.forEach((peer, pr) -> {
            if (!recipients.contains(peer)) {
                pr.roundsLeftOut++;
            } else {
                if (seemsGone(pr)) pr.roundsWhileGone++;
                pr.roundsLeftOut = 0;
            }
        });
        sendTo(recipients);
        if (!olderPending) commitWaitSince = s.ticks;
        if (!policy.wide()) silentPairs.sent(recipients, s.log.lastIndex(), s.ticks, this::matchOf);
        policy.roundSent(s.log.lastIndex(), recipients, olderPending);
    }

    /**
     * Uncommitted entries that made no quorum within the {@link FanoutPolicy}'s wait go again to as
     * many followers as the quorum lacks: first those heard from this term, of them first those with
     * nothing in flight (one that was sent them and stays silent may be dead), the most recently
     * heard first; while narrow and stalled, no two that left an earlier send unanswered together
     * unless every other choice holds more followers not heard this term ({@link SilentPairs}).
     */
    private void retry() {
        long last = s.log.lastIndex();
        List<Integer> candidates = mostRecentlyHeardVoters(pr -> pr.match < last && pr.mode != Progress.Mode.SNAPSHOT, true);
        int width = Math.max(0, Math.min(missingFromQuorum(last), candidates.size()));
        boolean stalled = commitStalled();
        if (stalled && ++stalledRetries >= 2) { // a probe: see probing()
            sendTo(candidates);
            policy.retried(true);
            return;
        }
        List<Integer> recipients = stalled ? silentPairs.choose(candidates, width, s.ticks, leaderSinceTick, this::matchOf, this::lastHeardTick)
                : candidates.subList(0, width);
        sendTo(recipients);
        if (!policy.wide()) silentPairs.sent(recipients, last, s.ticks, this::matchOf);
        // A retry to followers never silent together is a new try, not a repeat: no longer wait.
        policy.retried(!(stalled && silentPairs.untried(recipients)));
    }

    /**
     * Narrow, the commit stalled, and a retry to a new pairing did not move it either: from the
     * second such retry on, entries go to every follower that lacks them, and the transport should
     * send each directly, not through another follower ({@link RaftCore#probingFollowers}), until
     * something commits. After a partition nothing tells the leader which followers it can still
     * reach (a partition does not change who was heard last), and a relay chain with one cut-off
     * partner brings back neither answer: pair after pair was tried, a retry wait each, and a
     * leader with a quorum on its side once committed nothing for 1.3 s and stepped down
     * (cs3700/REPLICA.md, "Probing a stalled commit"). Sent directly, every follower it can reach
     * answers at once. Not at the first stalled retry: under light loss most stalls are a chain
     * lost by chance with no write after it, and a retry to a pair is cheaper.
     */
    boolean probing() {
        return stalledRetries >= 2 && commitStalled();
    }

    /**
     * The transport heard nothing from the newest round's followers within a few milliseconds
     * ({@link RaftCore#hedgeRound()}). Under heavy loss that round is most likely lost, and its
     * writes' replies would wait for the retry tens of milliseconds later: the entries go again
     * now, from each follower's match, to as many followers as a quorum lacks, the most recently
     * heard first. The round is judged at once, its followers' silence counting as misses, so that
     * the hedge's own answers do not make the loss look lighter than it is (the leader would
     * narrow, and stop hedging). Only while wide, and only for entries not yet committed.
     */
    void hedgeRound() {
        if (!policy.wide() || s.log.commitIndex() >= s.log.lastIndex()) return;
        policy.judgeRoundNow();
        // The hedge is the round's first retry: the next waits twice as long, and a write that
        // comes meanwhile (every 100-200 ms in the course's tests) most often carries the entries first.
        policy.retried(true);
        long last = s.log.lastIndex();
        List<Integer> candidates = mostRecentlyHeardVoters(pr -> pr.match < last && pr.mode != Progress.Mode.SNAPSHOT, false);
        for (int v : candidates.subList(0, Math.max(0, Math.min(missingFromQuorum(last), candidates.size())))) {
            Progress pr = progress.get(v);
            pr.becomeProbe();
            pr.next = pr.match + 1;
            appender.sendAppends(v, pr);
        }
    }

    /** How many more followers must hold the entry at {@code index} for a quorum. */
    private int missingFromQuorum(long index) {
        int acked = 0;
        for (int v : s.conf.voters()) if (v != s.id && progress.get(v).match >= index) acked++;
        return quorumBesidesUs() - acked;
    }

    /** Sends the chosen followers what they lack; appends unanswered for two ticks are presumed lost and resent. */
    private void sendTo(List<Integer> chosen) {
        for (int v : chosen) {
            Progress pr = progress.get(v);
            if (overdue(pr)) {
                pr.becomeProbe();
                pr.next = pr.match + 1;
            }
            appender.sendAppends(v, pr);
        }
    }

    private boolean overdue(Progress pr) {
        return pr.mode != Progress.Mode.SNAPSHOT && pr.hasOutstanding() && s.ticks - pr.outstandingSince >= 2;
    }

    /**
     * Narrow, and no entry committed for a retry wait (retransmitTicks) while some wait: a round
     * lost by chance is carried by the next write within that, and only a stall (a partition, a
     * dead follower in the chosen pair) turns the choice of followers to {@link SilentPairs}.
     * Applied to every round, its marks from chance losses under 15 % loss moved rounds away from
     * the most recently heard followers, and replies under 5 ms fell from 56 to 48 % (advanced-2,
     * cs3700/REPLICA.md).
     */
    private boolean commitStalled() {
        return !policy.wide() && s.log.commitIndex() < s.log.lastIndex()
                && s.ticks - commitWaitSince >= Math.max(2, s.cfg.retransmitTicks());
    }

    // ------------------------------------------------------------------ who may answer

    /** Heard from since this node became leader (those that answered its vote count from then). */
    private boolean heardThisTerm(Progress pr) {
        return pr.lastHeardTick >= leaderSinceTick;
    }

    private int votersHeardThisTerm() {
        int heard = 0;
        for (int v : s.conf.voters()) if (v != s.id && heardThisTerm(progress.get(v))) heard++;
        return heard;
    }

    /** Heard from within an election timeout: not (yet) suspected dead or cut off. */
    private boolean liveFollower(Progress pr) {
        return s.ticks - pr.lastHeardTick <= s.cfg.electionTicks();
    }

    /**
     * Live, or sent too little since it last answered to tell: under heavy loss a follower that
     * gets only heartbeats often goes unheard for an election timeout after one or two lost ones.
     * One cut off by a partition stops counting once it leaves a few messages in a row unanswered.
     *
     * <p>Then it counts again now and then, after ever more rounds left out: one, then two, four
     * (each round it is sent meanwhile and leaves unanswered doubles the wait). A dead follower
     * so costs a message now and then, ever more rarely; a live one whose answers were all lost
     * for an election timeout (a star's spoke under 30 % loss answers a third of the rounds) is
     * tried again within a few rounds, not only once a heartbeat's answer gets through (a second
     * or more, while a wide leader's rounds were chains, a third of which get through, instead of
     * stars, half).
     */
    private boolean mayAnswer(Progress pr) {
        return !seemsGone(pr) || pr.roundsLeftOut >= 1 << Math.min(pr.roundsWhileGone, 20);
    }

    private boolean seemsGone(Progress pr) {
        return !liveFollower(pr) && !justIdle() && pr.sentSinceHeard >= SENT_UNANSWERED_BEFORE_GONE;
    }

    /**
     * Within an election timeout of an idle spell (RaftConfig.idleSlowdown): its heartbeats came
     * seconds apart, so when the first writes come no follower was heard from lately, and under
     * heavy loss, once a few of those rounds were lost, every follower would seem gone and rounds
     * would go to two followers in a chain (a third get through at 30 % loss) instead of three in
     * a star (half). Seen in the course's advanced-3: most puts of the clients' first seconds went
     * as chains. An election timeout gives each follower time to answer.
     */
    private boolean justIdle() {
        return s.lastIdleTick >= 0 && s.ticks - s.lastIdleTick <= s.cfg.electionTicks();
    }

    /**
     * Under 30 % loss a live follower sent to directly leaves four messages in a row unanswered
     * about one time in fifteen; a star's spoke (a third of its answers come back) one time in
     * five. Too few for a follower across a partition to be the spare for long; too few, too, for
     * every live spoke: after a kill, with three live followers left, some rounds are chains.
     */
    static final int SENT_UNANSWERED_BEFORE_GONE = 4;

    private long matchOf(int peer) {
        return progress.get(peer).match;
    }

    private long lastHeardTick(int peer) {
        return progress.get(peer).lastHeardTick;
    }

    private int quorumBesidesUs() {
        return s.conf.quorum() - (s.conf.isVoter(s.id) ? 1 : 0);
    }

    /**
     * Voting followers that pass {@code filter}, most recently heard first, then most caught up;
     * with {@code idleFirst}, those with nothing in flight before all others.
     */
    private List<Integer> mostRecentlyHeardVoters(java.util.function.Predicate<Progress> filter, boolean idleFirst) {
        List<Integer> out = new ArrayList<>();
        for (int v : s.conf.voters()) if (v != s.id && filter.test(progress.get(v))) out.add(v);
        out.sort((a, b) -> {
            Progress pa = progress.get(a);
            Progress pb = progress.get(b);
            // Nothing in flight goes first only among followers alike in having been heard this
            // term: one never heard (across a partition since the election) is idle too.
            if (idleFirst && heardThisTerm(pa) != heardThisTerm(pb)) return heardThisTerm(pa) ? -1 : 1;
            if (idleFirst && pa.hasOutstanding() != pb.hasOutstanding()) return pa.hasOutstanding() ? 1 : -1;
            if (pa.lastHeardTick != pb.lastHeardTick) return Long.compare(pb.lastHeardTick, pa.lastHeardTick);
            if (pa.match != pb.match) return Long.compare(pb.match, pa.match);
            return Integer.compare(a, b);
        });
        return out;
    }
}
