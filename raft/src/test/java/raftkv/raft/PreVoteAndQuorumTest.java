package raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static raftkv.raft.Drive.config;
import static raftkv.raft.Drive.core;
import static raftkv.raft.Drive.step;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import raftkv.raft.Message.Heartbeat;
import raftkv.raft.Message.VoteRequest;
import raftkv.raft.Message.VoteResponse;

/** Pre-vote, check-quorum and the leader lease (Raft thesis §9.6, §6.2, §4.2.3). */
class PreVoteAndQuorumTest {
    private static final int NONE = RaftCore.NONE;

    @Test
    void aPartitionedNodeThatRejoinsDoesNotDeposeAHealthyLeaderNorInflateTerms() {
        TestCluster c = new TestCluster(3);
        int l = c.electLeader();
        long term = c.core(l).term();
        int loner = l % 3 + 1;
        c.partition(Set.of(loner));
        c.tickAll(200);
        assertThat(c.core(loner).term()).as("pre-votes fail, so the term stays").isEqualTo(term);
        assertThat(c.core(loner).role()).isIn(Role.PRE_CANDIDATE, Role.FOLLOWER);
        c.heal();
        c.tickAll(50);
        assertThat(c.leader()).isEqualTo(l);
        assertThat(TestCluster.terms(c.cores).values()).containsOnly(term);
    }

    @Test
    void withoutPreVoteOrCheckQuorumTheSameRejoinDisruptsTheCluster() { // the problem pre-vote solves
        TestCluster c = new TestCluster(3, id -> config(id).withPreVote(false).withCheckQuorum(false), 42);
        int l = c.electLeader();
        long term = c.core(l).term();
        int loner = l % 3 + 1;
        c.partition(Set.of(loner));
        c.tickAll(200);
        assertThat(c.core(loner).term()).isGreaterThan(term + 5);
        c.heal();
        c.tickAll(50);
        assertThat(c.core(c.leader()).term()).isGreaterThan(term + 5);
    }

    @Test
    void aPreVoteChangesNeitherTheVotersTermNorItsVote() {
        RaftCore f = core(config(1), 3, new HardState(2, NONE, 0), List.of());
        Drive.flush(f);
        Drive.Out out = step(f, new VoteRequest(2, 1, 3, 0, 0, true, false));
        assertThat(out.sent(VoteResponse.class)).singleElement()
                .isEqualTo(new VoteResponse(1, 2, 3, true, true));
        assertThat(f.term()).isEqualTo(2);
        assertThat(f.status().votedFor()).isEqualTo(NONE);
        assertThat(out.hardStates()).isEmpty();
    }

    @Test
    void aPreCandidateOnlyCampaignsForRealAfterAMajorityOfPreVotes() {
        RaftCore c = core(config(1), 5, new HardState(2, NONE, 0), List.of());
        Drive.Out out = Drive.timeOut(c);
        assertThat(c.role()).isEqualTo(Role.PRE_CANDIDATE);
        assertThat(c.term()).isEqualTo(2);
        assertThat(out.sent(VoteRequest.class)).hasSize(4).allMatch(r -> r.preVote() && r.term() == 3);
        step(c, new VoteResponse(2, 1, 3, true, true));
        assertThat(c.role()).isEqualTo(Role.PRE_CANDIDATE);
        Drive.Out real = step(c, new VoteResponse(3, 1, 3, true, true));
        assertThat(c.role()).isEqualTo(Role.CANDIDATE);
        assertThat(c.term()).isEqualTo(3);
        assertThat(real.sent(VoteRequest.class)).hasSize(4).allMatch(r -> !r.preVote() && r.term() == 3);
    }

    @Test
    void aLateGrantFromAnEarlierPreVoteDoesNotCount() { // regression
        // Node 1 once pre-campaigned for term 6 from term 5 (and then reached term 6). A grant from
        // that old round arrives late, during its pre-vote for term 7: it says nothing about term 7
        // (node 2 may follow a live leader now), and counting it let node 1 start a real election
        // that the pre-vote was meant to prevent.
        RaftCore c = core(config(1), 3, new HardState(6, NONE, 0), List.of());
        Drive.timeOut(c);
        assertThat(c.role()).isEqualTo(Role.PRE_CANDIDATE);
        step(c, new VoteResponse(2, 1, 6, true, true));
        assertThat(c.role()).isEqualTo(Role.PRE_CANDIDATE);
        assertThat(c.term()).isEqualTo(6);
        step(c, new VoteResponse(2, 1, 7, true, true));
        assertThat(c.role()).isEqualTo(Role.CANDIDATE);
    }

    @Test
    void aPreCandidateThatLosesStaysInItsTerm() {
        RaftCore c = core(config(1), 3, new HardState(2, NONE, 0), List.of());
        Drive.timeOut(c);
        step(c, new VoteResponse(2, 1, 2, false, true));
        step(c, new VoteResponse(3, 1, 2, false, true));
        assertThat(c.role()).isEqualTo(Role.FOLLOWER);
        assertThat(c.term()).isEqualTo(2);
    }

    @Test
    void aLeaderThatHearsFromNoQuorumWithinAnElectionTimeoutStepsDown() { // check-quorum
        RaftCore l = core(config(1), 3);
        Drive.elect(l, 2);
        Drive.Out out = Drive.tick(l, 20);
        assertThat(l.role()).isEqualTo(Role.FOLLOWER);
        assertThat(l.leader()).isEqualTo(NONE);
        assertThat(out.readies()).anyMatch(rd -> rd.role() == Role.FOLLOWER);
    }

    @Test
    void aLeaderThatHearsFromAQuorumStaysLeader() {
        RaftCore l = core(config(1), 3);
        Drive.elect(l, 2);
        for (int i = 0; i < 100; i++) {
            for (Heartbeat h : Drive.tick(l, 1).sent(Heartbeat.class, 2)) {
                step(l, new Message.HeartbeatResponse(2, 1, h.term(), h.round()));
            }
        }
        assertThat(l.role()).isEqualTo(Role.LEADER);
    }

    @Test
    void beforeCheckQuorumALeaderProbesTheFollowersItHasNotHeardFrom() {
        // Check-quorum every 20 ticks, heartbeats after 19 idle ticks: in a period whose heartbeat
        // answers are lost, only the probe (tick 15 of the period) can save the leader.
        RaftCore l = core(config(1).withElectionTicks(20, 19), 3);
        Drive.elect(l, 2);
        Drive.tick(l, 20); // period 1: every follower counts as heard
        assertThat(Drive.tick(l, 14).sent(Heartbeat.class)).as("period 2 so far").isEmpty();
        Drive.Out probe = Drive.tick(l, 1);
        assertThat(probe.sent(Heartbeat.class)).extracting(Message::to).containsExactlyInAnyOrder(2, 3);
        Heartbeat toTwo = probe.sent(Heartbeat.class, 2).getFirst();
        step(l, new Message.HeartbeatResponse(2, 1, toTwo.term(), toTwo.round()));
        Drive.tick(l, 5);
        assertThat(l.role()).as("the probe's answer made the quorum").isEqualTo(Role.LEADER);

        int toThree = 0;
        for (int t = 0; t < 20; t++) { // period 3: 2 answers every heartbeat at once
            Drive.Out out = Drive.tick(l, 1);
            for (Heartbeat h : out.sent(Heartbeat.class, 2)) step(l, new Message.HeartbeatResponse(2, 1, h.term(), h.round()));
            toThree += out.sent(Heartbeat.class, 3).size();
        }
        assertThat(toThree).as("a quorum was heard from: no probe, the regular heartbeat only").isEqualTo(1);
        assertThat(l.role()).isEqualTo(Role.LEADER);

        Drive.tick(l, 14); // period 4: nothing is answered
        assertThat(Drive.tick(l, 1).sent(Heartbeat.class)).as("period 4's probe").hasSize(2);
        Drive.tick(l, 5);
        assertThat(l.role()).as("no answer at all in period 4").isEqualTo(Role.FOLLOWER);
    }

    @Test
    void aMinorityLeaderStepsDownAndItsPendingReadsAreDropped() {
        TestCluster c = new TestCluster(5);
        int l = c.electLeader();
        c.partition(Set.of(l, l % 5 + 1));
        c.core(l).readIndex(77);
        c.tickAll(25);
        assertThat(c.core(l).role()).isNotEqualTo(Role.LEADER);
        assertThat(c.core(l).takeDroppedReads()).containsExactly(77L);
    }

    @Test
    void aFollowerThatHeardFromItsLeaderRecentlyRefusesVotes() { // leader lease
        RaftCore f = core(config(1), 3, new HardState(2, NONE, 0), List.of());
        Drive.flush(f);
        step(f, new Heartbeat(2, 1, 2, 0, 0));
        Drive.tick(f, 3);
        Drive.Out pre = step(f, new VoteRequest(3, 1, 3, 5, 2, true, false));
        assertThat(pre.sent(VoteResponse.class)).as("a pre-vote gets a no, in our term, not silence")
                .singleElement().matches(r -> !r.granted() && r.preVote() && r.term() == 2);
        Drive.Out real = step(f, new VoteRequest(3, 1, 3, 5, 2, false, false));
        assertThat(real.sent(VoteResponse.class)).as("a real vote request is ignored").isEmpty();
        assertThat(f.term()).isEqualTo(2);
        assertThat(f.leader()).isEqualTo(2);
        // A vote for a leadership transfer was asked for by the leader itself: the lease yields.
        Drive.Out out = step(f, new VoteRequest(3, 1, 3, 5, 2, false, true));
        assertThat(out.sent(VoteResponse.class)).singleElement().matches(VoteResponse::granted);
    }

    /** The ticks at which campaigns start: pre-vote requests after a tick without (resends follow at once). */
    private static List<Integer> campaignStarts(RaftCore c, int ticks) {
        List<Integer> starts = new java.util.ArrayList<>();
        boolean askedLastTick = false;
        for (int t = 1; t <= ticks; t++) {
            boolean asked = Drive.tick(c, 1).sent(VoteRequest.class).stream().anyMatch(VoteRequest::preVote);
            if (asked && !askedLastTick) starts.add(t);
            askedLastTick = asked;
        }
        return starts;
    }

    @Test
    void aPreCandidateThatTooFewVotersAnswerWaitsLongerEachTimeUntilItHearsALeader() {
        RaftCore c = core(config(1).withSilenceBackoff(true), 5, new HardState(1, RaftCore.NONE, 0), List.of());
        Drive.flush(c);
        List<Integer> starts = campaignStarts(c, 300);
        // Election timeouts are 10-19 ticks. A campaign that starts after a silent one waits twice
        // as long, after two silent ones four times, and no longer after more.
        assertThat(starts.get(0)).isBetween(10, 19);
        assertThat(starts.get(1) - starts.get(0)).isBetween(10, 19);
        assertThat(starts.get(2) - starts.get(1)).isBetween(20, 39);
        assertThat(starts.get(3) - starts.get(2)).isBetween(40, 79);
        assertThat(starts.get(4) - starts.get(3)).isBetween(40, 79);

        step(c, new Heartbeat(2, 1, c.term(), 0, 0));
        assertThat(campaignStarts(c, 40).getFirst()).as("heard from a leader: the normal timeout again").isBetween(10, 19);
    }

    @Test
    void afterASilentCampaignVoteRequestsAreNotResent() {
        RaftCore c = core(config(1).withSilenceBackoff(true), 5, new HardState(1, RaftCore.NONE, 0), List.of());
        Drive.flush(c);
        List<Integer> askedAt = new java.util.ArrayList<>();
        for (int t = 0; t < 80; t++) {
            int asked = Drive.tick(c, 1).sent(VoteRequest.class).size();
            if (asked > 0) {
                assertThat(asked).isEqualTo(4);
                askedAt.add(t);
            }
        }
        // The first campaign asks the four others and twice more; after its silence the next asks
        // once, and the one after that comes a doubled timeout (20 ticks or more) later.
        assertThat(askedAt.get(1) - askedAt.get(0)).isLessThan(3);
        assertThat(askedAt.get(2) - askedAt.get(1)).isLessThan(3);
        assertThat(askedAt.get(3) - askedAt.get(2)).isBetween(10, 19);
        assertThat(askedAt.get(4) - askedAt.get(3)).isGreaterThanOrEqualTo(20);
    }

    @Test
    void inTermZeroACampaignSkipsThePreVoteThereBeingNoLeaderToDepose() {
        RaftCore c = core(config(1), 5);
        Drive.flush(c);
        List<VoteRequest> asked = Drive.timeOut(c).sent(VoteRequest.class);
        assertThat(c.role()).isEqualTo(Role.CANDIDATE);
        assertThat(asked).hasSize(4).noneMatch(VoteRequest::preVote).allMatch(r -> r.term() == 1);

        RaftCore later = core(config(1), 5, new HardState(1, RaftCore.NONE, 0), List.of());
        Drive.flush(later);
        assertThat(Drive.timeOut(later).sent(VoteRequest.class)).as("from term 1 on, a pre-vote first")
                .hasSize(4).allMatch(VoteRequest::preVote);
    }

    @Test
    void aPreCandidateThatAMajorityAnswersDoesNotBackOff() {
        RaftCore c = core(config(1).withSilenceBackoff(true), 3);
        Drive.flush(c);
        List<Integer> starts = new java.util.ArrayList<>();
        boolean askedLastTick = false;
        for (int t = 1; t <= 80; t++) {
            List<VoteRequest> asked = Drive.tick(c, 1).sent(VoteRequest.class);
            for (VoteRequest r : asked) {
                if (r.to() == 2) step(c, new VoteResponse(2, 1, c.term(), false, true)); // no: the cluster is alive
            }
            if (!asked.isEmpty() && !askedLastTick) starts.add(t);
            askedLastTick = !asked.isEmpty();
        }
        assertThat(starts).hasSizeGreaterThanOrEqualTo(4);
        for (int i = 1; i < starts.size(); i++) {
            assertThat(starts.get(i) - starts.get(i - 1)).as("campaign " + i).isBetween(10, 19);
        }
    }

    @Test
    void aFollowerWhoseLeaseExpiredAnswersVoteRequests() {
        RaftCore f = core(config(1), 3, new HardState(2, NONE, 0), List.of());
        Drive.flush(f);
        step(f, new Heartbeat(2, 1, 2, 0, 0));
        // Past the election timeout (10 ticks) the follower starts its own pre-vote; a real vote
        // request of a higher term is then answered.
        Drive.tick(f, 10);
        Drive.Out out = step(f, new VoteRequest(3, 1, 3, 5, 2, false, false));
        assertThat(out.sent(VoteResponse.class)).singleElement().matches(VoteResponse::granted);
        assertThat(f.term()).isEqualTo(3);
    }

    /**
     * Regression (fuzz seed 408): heartbeats skip followers that just got an append, which used to
     * leave a follower up to 2 * heartbeatTicks without a message; with electionTicks <= 2 *
     * heartbeatTicks (the course-simulator tuning is 30 / 15) followers then timed out under a
     * healthy leader. Now a follower hears from the leader at least every heartbeatTicks + 1 ticks.
     */
    @Test
    void aHealthyLeaderKeepsItsFollowersWhenHeartbeatsAreSparse() {
        for (int[] timing : new int[][] {{5, 3}, {30, 15}, {10, 1}}) {
            for (long seed = 1; seed <= 5; seed++) {
                TestCluster c = new TestCluster(3, id -> config(id).withPreVote(false)
                        .withElectionTicks(timing[0], timing[1]), seed);
                int l = c.electLeader();
                long term = c.core(l).term();
                for (int round = 0; round < 40 * timing[0]; round++) {
                    if (round % (timing[1] + 2) == 1) c.core(l).propose(Drive.bytes("w" + round));
                    c.tickAll(1);
                }
                assertThat(c.leader()).as("timing %s, seed %d", java.util.Arrays.toString(timing), seed).isEqualTo(l);
                assertThat(c.core(l).term()).isEqualTo(term);
            }
        }
    }

    @Test
    void aNodeWithAHigherTermIsHeardEvenUnderCheckQuorum() {
        // A node stuck at a higher term (its log too old to win) must not split the cluster forever:
        // its answers to the leader's heartbeats carry its term and force a new election.
        TestCluster c = new TestCluster(3);
        int l = c.electLeader();
        int odd = l % 3 + 1;
        Map<Integer, RaftCore> cores = c.cores;
        cores.get(odd).step(new Heartbeat(l, odd, c.core(l).term() + 3, 0, 0)); // as if from a lost term
        c.tickAll(60);
        int now = c.leader();
        assertThat(now).isNotEqualTo(-1);
        assertThat(TestCluster.terms(c.cores).values()).containsOnly(c.core(now).term());
        c.propose(now, "still works");
        c.tickAll(3);
        for (int id = 1; id <= 3; id++) assertThat(c.appliedCommands(id)).containsExactly("still works");
    }
}
