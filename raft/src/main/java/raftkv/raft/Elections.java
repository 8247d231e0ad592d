package raftkv.raft;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import raftkv.raft.Message.VoteRequest;
import raftkv.raft.Message.VoteResponse;

/**
 * Leader election (§5.2) with the thesis's refinements: pre-vote (§9.6), the followers' leader
 * lease under check-quorum (§4.2.3), and campaigns started by a leadership transfer (§3.10).
 * Winning or losing changes the role, which is the core's business: this class calls back
 * {@link RaftCore#becomeLeader(java.util.Set)} and {@link RaftCore#becomeFollower(long, int)}.
 */
final class Elections {
    private final NodeState s;
    private final RaftCore core;
    /** Who answered this campaign, and how. */
    private final Map<Integer, Boolean> votes = new TreeMap<>();
    /** The current campaign was started by TimeoutNow: its vote requests override leases. */
    private boolean transferCampaign;
    /**
     * With lease reads: no votes before this tick of the runtime's clock ({@link NodeState#now()}). A node that just (re)started may have
     * acknowledged a leader before it went down, so it starts out promising one promise length
     * ({@link RaftConfig#promiseTicks()}, an election timeout unless configured shorter).
     */
    private long leasePromisedUntilTick;
    /** When (in ticks of the campaign) silent voters are asked again, and how often they were. */
    private long nextVoteResend;
    private int voteResends;
    /**
     * A real campaign that followed a won pre-vote asks again only the voters that granted the
     * pre-vote (alive, and reachable a moment ago), and as often as under heavy loss: resends to
     * the others went across a partition, and under light loss one resend was all a campaign got,
     * so on the majority side of a 3-2 partition one voter's grant lost twice (2 % of campaigns
     * there) left the side without a leader until the next election timeout. Null: every silent voter.
     */
    private Set<Integer> resendOnlyTo;
    /**
     * Silent voters are asked again at most this often per campaign. Two resends make an election
     * under heavy loss likely to finish; beyond that the silence is more likely a partition or a
     * dead node, and every further request is a message spent for nothing until the next campaign.
     */
    static final int MAX_VOTE_RESENDS = 2;
    /**
     * Pre-vote campaigns in a row that too few voters answered at all (yes or no): a node cut off
     * from the majority. With {@link RaftConfig#silenceBackoff()} each doubles its next election
     * timeout, up to {@link #MAX_SILENT_BACKOFF} doublings, so that a node on the minority side of
     * a partition spends fewer messages on campaigns that cannot succeed. Voters that still honour
     * a leader answer pre-votes with a no (see RaftCore), so a live cluster is never mistaken for
     * silence: after a leader dies, the others answer, and the election is not slowed. After a
     * silent campaign, no vote request is resent either: the silence is a partition, not a loss.
     * The price: when the partition heals, the first campaign may come up to four timeouts later
     * (and if the old leader died meanwhile, so does the next leader).
     */
    private int silentCampaigns;
    static final int MAX_SILENT_BACKOFF = 2;
    /**
     * Voter side: pre-votes we refused only because we still honour a leader, per pre-candidate.
     * If our promise runs out before we hear from that leader again (it died, or is cut off from
     * us), each is answered again then, as if it had just come: usually a grant. Without this the
     * pre-candidate, refused, waits a whole random election timeout more before asking again;
     * after a leader dies that is most of the outage, since its followers' promises are what held
     * the election back. While the leader lives, it renews the promise and nothing more is sent.
     */
    private final Map<Integer, VoteRequest> deferredPreVotes = new TreeMap<>();
    /**
     * Candidate side: voters that refused this pre-vote for a leader they still honour, and the
     * tick (ours) by which they said their promise ends. Not a no: such a voter grants later
     * ({@link #deferredPreVotes}) if that leader stays silent.
     */
    private final Map<Integer, Long> promisedElsewhere = new TreeMap<>();
    /**
     * With {@link RaftConfig#leaderProbeTicks()}: the election timer ran out and our pre-vote went
     * to the leader we still name, alone; we campaign at this value of the timer unless the leader
     * answers first. -1: no probe under way.
     */
    private long probeDeadline = -1;
    /**
     * Pre-candidate side: the leader of our term that voters refusing this pre-vote named
     * ({@link VoteResponse#leaderHint()}). It lives, by their word, and has only not reached
     * us (its messages lost, or, under quorum fan-out, sent to others): at our next timeout we ask
     * it alone first, as a follower asks its leader ({@link #probingLeader}). NONE: nobody named.
     */
    private int hintedLeader = RaftCore.NONE;
    /**
     * Whom the probe under way went to ({@link #probingLeader}); NONE once anything came from it (a
     * leader message, a vote answer), or when no probe is under way. Still set when the probe's
     * deadline passes, it is dead or across a partition: the campaign that follows asks it nothing,
     * neither in its pre-vote, its resends nor the real vote after, unless it speaks meanwhile.
     * Every such request went to the killed leader or across the partition (in advanced-4 runs of
     * the course simulator, 3-10 requests to a killed leader a run, and one or two per campaign
     * across each partition). A leader that only missed the probe reaches us with its next
     * heartbeat, and we follow it then.
     */
    private int probedLeader = RaftCore.NONE;
    /** This campaign's voter we do not ask (the silent probed leader); NONE: we ask every voter. */
    private int notAsked = RaftCore.NONE;
    /** The probe under way was sent on the runtime's sign ({@link #suspectLeader()}), not the timer's. */
    private boolean probeOnSuspicion;
    /**
     * The runtime has a sign that our leader is gone ({@link #suspectLeader()}): once our promise
     * to it has run out we probe it at once, not at the end of our election timer.
     */
    private boolean leaderSuspected;
    /**
     * A probe sent on suspicion went unanswered, and we were not among the followers the leader
     * wrote to often ({@link #inTheLeadersRounds()}): we leave the campaign to those, and our
     * election timer decides as before, until we hear from a leader again.
     */
    private boolean suspicionSettled;
    /**
     * How many ticks past our promise we wait before probing on suspicion, drawn when the sign
     * first comes in a silence (so a runtime that never gives one leaves the random stream as it
     * was): the followers the leader wrote to last share the moment their promises end, and
     * campaigns started together split the vote (up to a quarter promise, as a step-up waits).
     */
    private int suspicionDelay;
    /** Our tick when the leader's latest message came, and the ticks between it and the one before. */
    private long leaderMessageTick = -1;
    private long leaderGapTicks = Long.MAX_VALUE;
    /**
     * This campaign follows a probe the leader left unanswered, and its requests say so ({@link
     * VoteRequest#leaderSilent()}): voters then hold only to their promise, which may be far
     * shorter than their wait on a silent leader ({@link RaftConfig#promiseTicks()}).
     */
    private boolean leaderSilentCampaign;

    Elections(NodeState s, RaftCore core) {
        this.s = s;
        this.core = core;
        this.leasePromisedUntilTick = s.cfg.promiseTicks();
    }

    /** A follower's or candidate's tick: campaign when the election timer runs out. */
    void tick() {
        s.electionElapsed++;
        if (!deferredPreVotes.isEmpty()) answerDeferredPreVotes();
        boolean timerRanOut = s.electionElapsed >= s.randomizedElectionTimeout * s.timeoutSlowdown();
        if ((timerRanOut || suspicionDue()) && s.conf.isVoter(s.id)) {
            // Our own vote is bound by our promise too. Timers run on the ticks delivered, the
            // promise on the runtime's clock: after a pause, a backlog of ticks can run the timer
            // out while the promise, made on a clock that stood still, still holds.
            if (s.cfg.leaseReads() && promiseTicksLeft() > 0) return;
            if (probingLeader()) return;
            if (!timerRanOut && !inTheLeadersRounds()) {
                forgetProbe();
                leaderSuspected = false;
                suspicionSettled = true;
                return;
            }
            if (s.cfg.silenceBackoff() && s.role == Role.PRE_CANDIDATE && !majorityAnswered()) silentCampaigns++;
            // In term 0, with nothing in the log from any term, no leader has ever been elected
            // (a term only grows), so a campaign can depose nobody: the pre-vote, there to keep a
            // returning member from deposing a working leader, would only cost a round of
            // messages. A member new to a cluster that has a leader asks for term 1, which voters
            // of a later term ignore; it learns their term from the leader's next message.
            campaign(s.cfg.preVote() && (s.term > 0 || s.log.lastTerm() > 0), false);
        } else if (s.role != Role.FOLLOWER && voteResends < maxVoteResends() && silentCampaigns == 0
                && s.electionElapsed >= nextVoteResend && !promisesRunning()) {
            voteResends++;
            resendVoteRequests();
            // With retransmitTicks: after r, 2r, 4r... ticks of silence; otherwise every heartbeat.
            nextVoteResend = s.cfg.retransmitTicks() > 0 ? nextVoteResend * 2 : nextVoteResend + s.cfg.heartbeatTicks();
        }
    }

    /**
     * Under light loss (the transport's word, {@link RaftCore#hintMessageLoss}) one resend: the
     * majority side of a 3-2 partition needs both its other voters, twice (pre-vote and vote), and
     * one lost message in four would fail the campaign without it; a second resend would mostly go
     * to voters across a partition.
     */
    private int maxVoteResends() {
        return Boolean.FALSE.equals(s.heavyLossHint) && resendOnlyTo == null ? 1 : MAX_VOTE_RESENDS;
    }

    /**
     * Whether the election timer's run-out waits on the leader's answer to a probe. A follower
     * whose timer runs out has most often only missed a heartbeat or two (lost, or the leader sends
     * it little), not lost its leader. Asked alone, a live leader answers the pre-vote with a
     * heartbeat (see RaftCore), and two messages settle what a pre-vote to every voter, their
     * refusals and that heartbeat would have. A dead leader costs one message and the wait.
     */
    private boolean probingLeader() {
        int leader = leaderToProbe();
        if (s.cfg.leaderProbeTicks() == 0 || !s.cfg.preVote() || leader == RaftCore.NONE || leader == s.id) return false;
        if (probeDeadline < 0) {
            probeDeadline = s.electionElapsed + s.cfg.leaderProbeTicks();
            probedLeader = leader;
            probeOnSuspicion = leaderSuspected;
            s.send(new VoteRequest(s.id, leader, s.term + 1, s.log.lastIndex(), s.log.lastTerm(), true, false));
        }
        return s.electionElapsed < probeDeadline;
    }

    /** A follower's leader, or the leader a pre-candidate's voters named; NONE: campaign at once. */
    private int leaderToProbe() {
        return switch (s.role) {
            case FOLLOWER -> s.leader;
            case PRE_CANDIDATE -> hintedLeader;
            default -> RaftCore.NONE;
        };
    }

    /** A leader's message arrived (and will be answered): with lease reads, that is a promise. */
    void heardFromLeader() {
        forgetProbe();
        hintedLeader = RaftCore.NONE;
        silentCampaigns = 0;
        deferredPreVotes.clear();
        leaderSuspected = false;
        suspicionSettled = false;
        leaderGapTicks = leaderMessageTick < 0 ? Long.MAX_VALUE : s.ticks - leaderMessageTick;
        leaderMessageTick = s.ticks;
        long from = s.bugs.contains(DeliberateBug.PROMISE_ON_DELIVERED_TICKS) ? s.ticks : s.now();
        leasePromisedUntilTick = from + s.cfg.promiseTicks();
    }

    /** We became a follower (a newer term, a lost election): a probe of an earlier period is moot. */
    void becameFollower() {
        forgetProbe();
        leaderSuspected = false;
        suspicionSettled = false;
        leaderMessageTick = -1;
        leaderGapTicks = Long.MAX_VALUE;
    }

    /**
     * The runtime has a sign that our leader is gone ({@link RaftCore#suspectLeaderGone()}). Once
     * our own promise to it has run out, we ask it alone at once (the probe, {@link
     * #probingLeader}) instead of at the end of our election timer, and campaign if it stays
     * silent, provided the leader wrote to us often ({@link #inTheLeadersRounds()}). Needs
     * pre-vote and the probe: without them nothing would tell a lost leader from a lost sign.
     * Returns whether the probe is under way.
     */
    boolean suspectLeader() {
        if (s.role != Role.FOLLOWER || s.leader == RaftCore.NONE || s.leader == s.id || !s.conf.isVoter(s.id)
                || !s.cfg.preVote() || s.cfg.leaderProbeTicks() == 0 || suspicionSettled) {
            return false;
        }
        if (!leaderSuspected) suspicionDelay = s.random.nextInt(Math.max(1, s.cfg.promiseTicks() / 4));
        leaderSuspected = true;
        if (!suspicionDue()) return false;
        probingLeader();
        return true;
    }

    /**
     * Whether the leader's last two messages to us came within a promise of each other: most
     * likely we were among the followers its rounds went to (with quorum fan-out, the others hear
     * from it only with its heartbeats), so our log is likely as fresh as any. A heuristic: what
     * keeps elections safe is the voters' log check. A follower the leader wrote to seldom lags by
     * a round or more; its campaign would only be refused, and after a leader dies its refusals
     * cost as much as the election. It still probes on suspicion: an answer proves the leader
     * alive, and its clients go there sooner.
     */
    private boolean inTheLeadersRounds() {
        return leaderGapTicks <= s.cfg.promiseTicks();
    }

    private boolean suspicionDue() {
        return leaderSuspected && s.role == Role.FOLLOWER && s.electionElapsed >= s.cfg.promiseTicks() + suspicionDelay;
    }

    private void forgetProbe() {
        probeDeadline = -1;
        probedLeader = RaftCore.NONE;
        probeOnSuspicion = false;
    }

    /**
     * Whether this node still honours the leader it last heard from, and so refuses votes.
     */
    boolean inLeaderLease() {
        return leaseTicksLeft() > 0;
    }

    /**
     * Whether we refuse vote request {@code r} for the leader we honour: never one asked for by
     * that leader (a transfer); one whose sender found the leader silent while our promise runs;
     * any other while we still wait on the leader ({@link #leaseTicksLeft()}). A leader goes by its
     * own lease whatever the sender found: it is alive, and answers a pre-vote with a heartbeat.
     */
    boolean boundAgainst(VoteRequest r) {
        if (s.role == Role.LEADER && !r.transfer()) return inLeaderLease();
        return ticksBoundAgainst(r) > 0;
    }

    private long ticksBoundAgainst(VoteRequest r) {
        if (r.transfer()) return 0;
        return r.leaderSilent() ? Math.max(0, promiseTicksLeft()) : leaseTicksLeft();
    }

    /** How much longer, on the runtime's clock, our promise to the leader we last heard runs (negative: over). */
    private long promiseTicksLeft() {
        return leasePromisedUntilTick - s.now();
    }

    /** For how many more ticks this node honours its leader (0: it does not). */
    private long leaseTicksLeft() {
        // With lease reads, acknowledging a leader promises it no vote for RaftConfig.promiseTicks
        // (an election timeout unless configured shorter), on our own clock, whatever happens meanwhile. Bound to "we still name a leader", the promise
        // broke early: a late answer from a higher term makes us a follower of nobody. (See also
        // onVoteRequest; together they keep a new leader from committing while the old one still
        // serves reads from its lease.)
        long promised = s.cfg.leaseReads() ? promiseTicksLeft() : 0;
        // Under an idle leader (RaftConfig.idleSlowdown) as many times longer as its heartbeats are
        // apart: a leader, through its longer check-quorum period; a follower told so, until its
        // slower timer runs out. Else a follower that missed one sparse heartbeat found every other
        // follower (and the leader itself) ready to grant its pre-vote and then its vote.
        long following = s.cfg.checkQuorum() && s.leader != RaftCore.NONE ? s.electionTicksNow() - s.electionElapsed : 0;
        return Math.max(0, Math.max(promised, following));
    }

    /**
     * A follower refuses pre-vote {@code r} for the leader it honours: the refusal says how much
     * longer the promise runs, and the request is kept to be answered again when it ends.
     */
    void refuseForLease(VoteRequest r) {
        s.send(new VoteResponse(s.id, r.from(), s.term, false, true, ticksBoundAgainst(r), s.leader));
        if (s.conf.isVoter(r.from())) deferredPreVotes.put(r.from(), r);
    }

    /** Our promise ran out with the leader silent: the pre-votes we refused for it get a fresh answer. */
    private void answerDeferredPreVotes() {
        var due = new java.util.ArrayList<VoteRequest>();
        deferredPreVotes.values().removeIf(r -> !boundAgainst(r) && due.add(r));
        for (VoteRequest r : due) core.step(r);
    }

    /** Whether a voter that refused this pre-vote for its lease is still bound by it: asking again is useless. */
    private boolean promisesRunning() {
        for (long end : promisedElsewhere.values()) if (s.now() < end) return true;
        return false;
    }

    /** Starts a pre-vote or a real election; a transfer's campaign overrides the voters' leases. */
    void campaign(boolean preVote, boolean transfer) {
        // Only the timer's run-out starts a pre-vote, and only after any probe's deadline passed.
        campaign(preVote, transfer, preVote ? probedLeader : RaftCore.NONE);
    }

    /** As {@link #campaign(boolean, boolean)}, asking every voter but {@code skipped} (NONE: all). */
    private void campaign(boolean preVote, boolean transfer, int skipped) {
        // Says the leader was silent only after a probe sent on the runtime's sign went unanswered
        // (and then so does the real vote after it): a probe of the timer's, lost once, must not
        // free voters from their wait on a leader that heartbeats seldom (an idle one).
        boolean leaderSilent = !transfer && skipped != RaftCore.NONE
                && (preVote ? probeOnSuspicion : leaderSilentCampaign);
        long campaignTerm;
        if (preVote) {
            s.role = Role.PRE_CANDIDATE;
            s.leader = RaftCore.NONE;
            campaignTerm = s.term + 1;
        } else {
            s.role = Role.CANDIDATE;
            s.term++;
            s.votedFor = s.id;
            s.leader = RaftCore.NONE;
            campaignTerm = s.term;
        }
        core.clearLeaderState();
        s.resetElectionTimer();
        forgetProbe();
        hintedLeader = RaftCore.NONE;
        leaderSuspected = false;
        suspicionSettled = false;
        notAsked = skipped;
        leaderSilentCampaign = leaderSilent;
        if (preVote) s.randomizedElectionTimeout <<= Math.min(silentCampaigns, MAX_SILENT_BACKOFF);
        transferCampaign = transfer;
        nextVoteResend = s.cfg.retransmitTicks() > 0 ? s.cfg.retransmitTicks() : s.cfg.heartbeatTicks();
        voteResends = 0;
        resendOnlyTo = null;
        votes.clear();
        votes.put(s.id, true);
        promisedElsewhere.clear();
        if (tallyVotes(preVote)) return;
        for (int peer : s.conf.voters()) {
            if (peer == s.id || peer == notAsked) continue;
            s.send(new VoteRequest(s.id, peer, campaignTerm, s.log.lastIndex(), s.log.lastTerm(), preVote, transfer,
                    leaderSilentCampaign));
        }
    }

    /** Under message loss an election can otherwise only fail and start over: ask again. */
    private void resendVoteRequests() {
        boolean preVote = s.role == Role.PRE_CANDIDATE;
        long campaignTerm = preVote ? s.term + 1 : s.term;
        for (int peer : s.conf.voters()) {
            if (peer == s.id || peer == notAsked || votes.containsKey(peer) || promisedElsewhere.containsKey(peer)) continue;
            if (resendOnlyTo != null && !resendOnlyTo.contains(peer)) continue;
            s.send(new VoteRequest(s.id, peer, campaignTerm, s.log.lastIndex(), s.log.lastTerm(), preVote,
                    transferCampaign, leaderSilentCampaign));
        }
    }

    void onVoteRequest(VoteRequest r) {
        boolean free = s.votedFor == r.from() || (s.votedFor == RaftCore.NONE && s.leader == RaftCore.NONE)
                || (r.preVote() && r.term() > s.term);
        boolean upToDate = s.bugs.contains(DeliberateBug.SKIP_ELECTION_RESTRICTION)
                || s.log.isUpToDate(r.lastLogIndex(), r.lastLogTerm());
        // The lease promise binds within a term too: a late answer from a higher term can carry us
        // into the candidate's own term, whose requests then skip the check in inLeaderLease.
        boolean promised = s.cfg.leaseReads() && !r.transfer() && s.votedFor != r.from()
                && promiseTicksLeft() > 0;
        if (free && upToDate && !promised) {
            if (!r.preVote()) {
                s.votedFor = r.from();
                s.electionElapsed = 0;
            }
            // The grant promises a persisted vote: it leaves only after the hard state is durable.
            s.sendAfterPersist(new VoteResponse(s.id, r.from(), r.term(), true, r.preVote()));
        } else {
            refuse(r);
            if (r.preVote() && !upToDate) {
                stepUp(r);
                askBack(r.from());
            }
        }
    }

    /**
     * A vote we do not give (RaftCore sends requests from older terms here too). A leader answers
     * a pre-vote with a heartbeat (the asker only missed our messages, and follows us on it);
     * anyone else says no, and to a pre-vote names the leader it follows
     * ({@link VoteResponse#leaderHint()}).
     */
    void refuse(VoteRequest r) {
        if (r.preVote() && s.role == Role.LEADER) {
            core.remindOfLeadership(r.from());
            return;
        }
        int hint = r.preVote() && s.role == Role.FOLLOWER && s.leader != r.from() ? s.leader : RaftCore.NONE;
        s.send(new VoteResponse(s.id, r.from(), s.term, false, r.preVote(), 0, hint));
    }

    /**
     * We campaign, and a voter whose log is behind ours asked for our vote: it is alive and hears
     * us, and cannot win without voters like us. If it has not answered our own request (lost, or
     * not yet come), we ask it again now, for one message: under light loss our campaign gets at
     * most one resend, and on the majority side of a partition (three of five) every voter counts.
     * In one advanced-4 run the best candidate of the majority side lost both its requests to one
     * voter, whose own request then reached it and was refused; with no request left to send, the
     * side stayed without a leader until the partition healed, 1.9 s later.
     */
    private void askBack(int peer) {
        if ((s.role != Role.PRE_CANDIDATE && s.role != Role.CANDIDATE) || votes.containsKey(peer)) return;
        boolean preVote = s.role == Role.PRE_CANDIDATE;
        s.send(new VoteRequest(s.id, peer, preVote ? s.term + 1 : s.term, s.log.lastIndex(), s.log.lastTerm(), preVote,
                transferCampaign, leaderSilentCampaign));
    }

    /**
     * A pre-candidate whose log is behind ours asked for our vote. If we are a follower past our
     * promise to any leader, the leader is gone, and that pre-candidate cannot win without voters
     * like us that it never will persuade: campaign soon ourselves, within a quarter election
     * timeout (a quarter promise, if the pre-candidate found the leader silent: {@link
     * VoteRequest#leaderSilent()}), not at the end of our random one. (With quorum fan-out, half the followers lag by
     * a round or two, and they time out first as often as not: after a leader died, their failed
     * campaigns were most of the wait.) The delay is random so that two followers refusing the
     * same request do not campaign at the same moment and split the vote.
     *
     * <p>With {@link RaftConfig#leaderProbeTicks()} the campaign still asks the leader alone
     * first. The leader may well live: under quorum fan-out it can leave a follower out of its
     * rounds for longer than the promise, and after a partition heals the pre-candidate from the
     * minority side finds every such follower past its promise. In advanced-4 runs each such step
     * up cost eight messages (four pre-votes, four refusals); the probe costs two when the leader
     * lives and, when it is dead, one and a few ticks.
     */
    private void stepUp(VoteRequest r) {
        if (s.role != Role.FOLLOWER || !s.conf.isVoter(s.id) || !s.cfg.preVote() || boundAgainst(r)) return;
        int soon = 1 + s.random.nextInt(Math.max(1, (r.leaderSilent() ? s.cfg.promiseTicks() : s.cfg.electionTicks()) / 4));
        // The timer runs out at the timeout stretched for an idle leader (see tick).
        s.electionElapsed = Math.max(s.electionElapsed, s.randomizedElectionTimeout * s.timeoutSlowdown() - soon);
    }

    void onVoteResponse(VoteResponse r) {
        // Any answer shows the peer alive and within reach: it is not skipped as silent.
        if (r.from() == probedLeader) probedLeader = RaftCore.NONE;
        if (r.from() == notAsked) notAsked = RaftCore.NONE;
        boolean current = (s.role == Role.PRE_CANDIDATE && r.preVote()) || (s.role == Role.CANDIDATE && !r.preVote());
        if (!current) return;
        // A pre-vote grant names the term it was asked for. One for our current term is a late answer
        // to an earlier pre-vote (asked from term - 1), not to this one for term + 1: counting it let
        // a stale grant start the real election that pre-vote exists to prevent.
        if (r.preVote() && r.granted() && r.term() != s.term + 1) return;
        // (A refusal from a newer term made us a follower before this: RaftCore.acceptHigherTerm.)
        if (r.preVote() && !r.granted() && r.leaderHint() != RaftCore.NONE) hintedLeader = r.leaderHint();
        if (r.preVote() && !r.granted() && r.leaseTicksLeft() > 0) {
            // Bounded: a voter's word costs at most a postponed resend.
            promisedElsewhere.put(r.from(), s.now() + Math.min(r.leaseTicksLeft(), s.cfg.electionTicks()));
            tallyVotes(true);
            return;
        }
        votes.putIfAbsent(r.from(), r.granted());
        tallyVotes(r.preVote());
    }

    /** Whether a majority of voters (us included) answered this campaign, yes or no. */
    private boolean majorityAnswered() {
        return Quorum.isMajority(s.conf.voters(), v -> votes.containsKey(v) || promisedElsewhere.containsKey(v));
    }

    /** The peers that answered this campaign's vote requests, yes or no: alive a moment ago. */
    private java.util.Set<Integer> answered() {
        java.util.Set<Integer> out = new java.util.TreeSet<>(votes.keySet());
        out.remove(s.id);
        return out;
    }

    /** Returns true if the election is decided (won, or lost). */
    private boolean tallyVotes(boolean preVote) {
        if (majorityAnswered()) silentCampaigns = 0;
        if (Quorum.isMajority(s.conf.voters(), v -> Boolean.TRUE.equals(votes.get(v)))) {
            if (preVote) {
                Set<Integer> granted = new TreeSet<>();
                votes.forEach((v, yes) -> { if (yes && v != s.id) granted.add(v); });
                campaign(false, false, notAsked);
                if (s.role == Role.CANDIDATE) resendOnlyTo = granted;
            } else {
                core.becomeLeader(answered());
            }
            return true;
        }
        if (Quorum.isLost(s.conf.voters(), v -> Boolean.FALSE.equals(votes.get(v)))) {
            core.becomeFollower(s.term, RaftCore.NONE);
            return true;
        }
        return false;
    }
}
