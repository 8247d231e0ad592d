package raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static raftkv.raft.Drive.config;
import static raftkv.raft.Drive.core;
import static raftkv.raft.Drive.log;
import static raftkv.raft.Drive.step;

import java.util.List;
import org.junit.jupiter.api.Test;
import raftkv.raft.Message.Heartbeat;
import raftkv.raft.Message.VoteRequest;
import raftkv.raft.Message.VoteResponse;

/**
 * With {@link RaftConfig#leaderProbeTicks()}, a follower whose election timer runs out while it
 * still names a leader asks that leader alone first; it campaigns only if the leader stays silent.
 * That a live leader answers the pre-vote with a heartbeat, which the follower follows, is
 * DeferredPreVoteTest's aLeaderAnswersAPreVoteWithAHeartbeatWhichThePreCandidateFollows.
 */
class LeaderProbeTest {
    private static final int NONE = RaftCore.NONE;
    private static final int PROBE = 2;
    private static final RaftConfig PROBING = config(1).withLeaderProbeTicks(PROBE);
    private static final int ELECTION = PROBING.electionTicks();

    /** Node 1 of five in term 2, following leader 2 after one heartbeat. */
    private static RaftCore follower(RaftConfig cfg) {
        RaftCore f = core(cfg, 5, new HardState(2, NONE, 0), log(1, 2, 2));
        Drive.flush(f);
        step(f, new Heartbeat(2, 1, 2, 0, 0));
        return f;
    }

    /** Ticks until the follower sends something; returns what it sent then. */
    private static List<Message> firstWords(RaftCore f) {
        for (int i = 0; i < 4 * ELECTION; i++) {
            List<Message> sent = Drive.tick(f, 1).all();
            if (!sent.isEmpty()) return sent;
        }
        throw new AssertionError("the follower never spoke");
    }

    /** The follower, its leader silent through the probe: now a pre-candidate that asked 3-5. */
    private static RaftCore pastASilentProbe() {
        RaftCore f = follower(PROBING);
        firstWords(f);
        Drive.tick(f, PROBE);
        return f;
    }

    @Test
    void whenTheTimerRunsOutOnlyTheLeaderIsAsked() {
        RaftCore f = follower(PROBING);
        assertThat(firstWords(f)).singleElement()
                .isEqualTo(new VoteRequest(1, 2, 3, 3, 2, true, false));
        assertThat(f.role()).as("still a follower while the leader may answer").isEqualTo(Role.FOLLOWER);
        assertThat(f.leader()).isEqualTo(2);
    }

    @Test
    void theLeadersHeartbeatSettlesItAndNoCampaignFollows() {
        RaftCore f = follower(PROBING);
        firstWords(f);
        step(f, new Heartbeat(2, 1, 2, 0, 0));
        assertThat(Drive.tick(f, ELECTION - 1).all()).as("an election timeout of quiet").isEmpty();
        assertThat(f.role()).isEqualTo(Role.FOLLOWER);
    }

    @Test
    void aSilentLeaderIsGivenUpAfterTheProbeTicksAndEveryOtherVoterIsAsked() {
        RaftCore f = follower(PROBING);
        firstWords(f);
        assertThat(Drive.tick(f, PROBE - 1).all()).isEmpty();
        List<VoteRequest> asked = Drive.tick(f, 1).sent(VoteRequest.class);
        assertThat(asked).allMatch(VoteRequest::preVote).extracting(Message::to).containsExactlyInAnyOrder(3, 4, 5);
        assertThat(f.role()).isEqualTo(Role.PRE_CANDIDATE);
    }

    @Test
    void theSilentLeaderIsNotAskedForTheRealVoteEitherNorInResends() {
        RaftCore f = pastASilentProbe();
        step(f, new VoteResponse(3, 1, 3, true, true));
        List<VoteRequest> real = step(f, new VoteResponse(4, 1, 3, true, true)).sent(VoteRequest.class);
        assertThat(f.role()).isEqualTo(Role.CANDIDATE);
        assertThat(real).noneMatch(VoteRequest::preVote).extracting(Message::to).containsExactlyInAnyOrder(3, 4, 5);
        List<Message> later = Drive.tick(f, ELECTION - 1).all();
        assertThat(later).as("resends to the silent granters").isNotEmpty().extracting(Message::to).doesNotContain(2);
    }

    @Test
    void theSilentLeaderIsNotAskedInThePreVotesResendsEither() {
        RaftCore f = pastASilentProbe();
        List<Message> resends = Drive.tick(f, ELECTION - 1).all();
        assertThat(resends).as("resends to the silent voters 3-5").isNotEmpty().extracting(Message::to).doesNotContain(2);
    }

    @Test
    void aLeaderThatAnsweredTheProbeWithAVoteAnswerIsAskedInTheCampaign() {
        // It no longer leads (it refuses), but it is alive and reachable: its vote may count.
        RaftCore f = follower(PROBING);
        firstWords(f);
        step(f, new VoteResponse(2, 1, 2, false, true));
        List<VoteRequest> asked = Drive.tick(f, PROBE).sent(VoteRequest.class);
        assertThat(asked).extracting(Message::to).containsExactlyInAnyOrder(2, 3, 4, 5);
    }

    @Test
    void aSkippedLeaderWhoseGrantComesLateIsAskedForTheRealVote() {
        RaftCore f = pastASilentProbe();
        step(f, new VoteResponse(2, 1, 3, true, true)); // the probe's answer, late
        List<VoteRequest> real = step(f, new VoteResponse(3, 1, 3, true, true)).sent(VoteRequest.class);
        assertThat(f.role()).isEqualTo(Role.CANDIDATE);
        assertThat(real).extracting(Message::to).containsExactlyInAnyOrder(2, 3, 4, 5);
    }

    @Test
    void aProbeOfAnEarlierLeaderDoesNotMarkTheNextLeaderSilent() {
        // The probe to leader 2 is answered from a newer term, naming leader 3: we follow 3, and
        // at our next timeout we probe 3, not campaign past it.
        RaftCore f = follower(PROBING);
        firstWords(f);
        step(f, new VoteResponse(2, 1, 4, false, true, 0, 3));
        assertThat(f.role()).isEqualTo(Role.FOLLOWER);
        assertThat(f.leader()).isEqualTo(3);
        assertThat(firstWords(f)).singleElement().extracting(Message::to).isEqualTo(3);
    }

    @Test
    void withoutTheOptionTheFollowerCampaignsAtOnce() {
        RaftCore f = follower(config(1));
        assertThat(firstWords(f)).hasSize(4).allMatch(m -> m instanceof VoteRequest v && v.preVote());
    }

    @Test
    void aFollowerThatNamesNoLeaderHasNobodyToProbe() {
        RaftCore f = core(PROBING, 5, new HardState(2, NONE, 0), log(1, 2, 2));
        Drive.flush(f);
        assertThat(firstWords(f)).hasSize(4);
    }

    @Test
    void aFollowerSteppingUpForABehindPreCandidateStillAsksItsLeaderFirst() {
        // Past our promise, a pre-vote from a follower behind us (StepUpTest) makes our campaign
        // due soon. The leader may live and only have left us out (quorum fan-out), or its
        // messages to us were lost: it is asked alone first, as at any timeout.
        RaftCore f = follower(PROBING);
        Drive.tick(f, ELECTION);
        assertThat(step(f, new VoteRequest(3, 1, 3, 1, 1, true, false)).sent(VoteResponse.class)).hasSize(1);
        assertThat(firstWords(f)).singleElement().isEqualTo(new VoteRequest(1, 2, 3, 3, 2, true, false));
        step(f, new Heartbeat(2, 1, 2, 0, 0));
        assertThat(Drive.tick(f, ELECTION - 1).all()).as("the leader answered: no campaign").isEmpty();
    }

    /** Node 1 of five, a pre-candidate in term 2 whose voters 3-5 refused it for leader 2's lease. */
    private static RaftCore refusedForLeaderTwo() {
        RaftCore c = core(PROBING, 5, new HardState(2, NONE, 0), log(1, 2, 2));
        Drive.flush(c);
        assertThat(firstWords(c)).as("nobody to probe yet").hasSize(4);
        for (int v = 3; v <= 5; v++) step(c, new VoteResponse(v, 1, 2, false, true, 40, 2));
        return c;
    }

    /** Ticks a pre-candidate until it asks several voters at once; returns what it sent at each tick. */
    private static List<List<Message>> ticksToCampaign(RaftCore c) {
        List<List<Message>> byTick = new java.util.ArrayList<>();
        while (byTick.size() < 4 * ELECTION) {
            byTick.add(Drive.tick(c, 1).all());
            if (byTick.getLast().size() > 1) return byTick;
        }
        throw new AssertionError("no campaign");
    }

    @Test
    void aPreCandidateRefusedForALeaderAsksThatLeaderAloneAtItsNextTimeout() {
        List<List<Message>> byTick = ticksToCampaign(refusedForLeaderTwo());
        int campaign = byTick.size() - 1;
        assertThat(byTick.get(campaign)).as("the named leader stayed silent").extracting(Message::to)
                .containsExactlyInAnyOrder(3, 4, 5);
        assertThat(byTick.get(campaign - PROBE)).singleElement().isEqualTo(new VoteRequest(1, 2, 3, 3, 2, true, false));
        assertThat(byTick.subList(campaign - PROBE + 1, campaign)).allMatch(List::isEmpty);
    }
}
