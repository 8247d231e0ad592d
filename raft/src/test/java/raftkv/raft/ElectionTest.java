package raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static raftkv.raft.Drive.config;
import static raftkv.raft.Drive.core;
import static raftkv.raft.Drive.log;
import static raftkv.raft.Drive.step;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;
import raftkv.raft.Message.AppendRequest;
import raftkv.raft.Message.AppendResponse;
import raftkv.raft.Message.Heartbeat;
import raftkv.raft.Message.VoteRequest;
import raftkv.raft.Message.VoteResponse;

/** Terms and elections: the Raft paper's Figure 2 rules for all servers, followers and candidates (§5.1, §5.2, §5.4.1). */
class ElectionTest {
    private static final int NONE = RaftCore.NONE;

    private static VoteRequest vote(int from, long term, long lastIndex, long lastTerm) {
        return new VoteRequest(from, 1, term, lastIndex, lastTerm, false, false);
    }

    private static VoteResponse answer(Drive.Out out) {
        List<VoteResponse> r = out.sent(VoteResponse.class);
        assertThat(r).hasSize(1);
        return r.getFirst();
    }

    @Test
    void aFollowerRejectsAppendEntriesWhoseTermIsOlder() { // §5.1, Figure 2 AppendEntries step 1
        RaftCore f = core(config(1), 3, new HardState(3, NONE, 0), log(1, 1));
        Drive.flush(f);
        Drive.Out out = step(f, new AppendRequest(2, 1, 2, 2, 1, log(1, 1, 2).subList(2, 3), 2));
        AppendResponse r = out.sent(AppendResponse.class).getFirst();
        assertThat(r.success()).isFalse();
        assertThat(r.term()).as("the stale leader learns the newer term").isEqualTo(3);
        assertThat(f.lastIndex()).isEqualTo(2);
        assertThat(f.commitIndex()).isZero();
        assertThat(f.leader()).isEqualTo(NONE);
    }

    @Test
    void aNodeRejectsVoteRequestsWhoseTermIsOlder() { // §5.1, Figure 2 RequestVote step 1
        RaftCore f = core(config(1), 3, new HardState(3, NONE, 0), List.of());
        Drive.flush(f);
        Drive.Out out = step(f, vote(2, 2, 5, 2));
        assertThat(out.sent(VoteResponse.class)).noneMatch(VoteResponse::granted);
        assertThat(f.status().votedFor()).isEqualTo(NONE);
    }

    @Test
    void aNodeThatSeesAHigherTermAdoptsItAndForgetsItsVote() { // §5.1, Figure 2 "Rules for all servers"
        RaftCore f = core(config(1), 3, new HardState(2, 2, 0), List.of());
        Drive.flush(f);
        Drive.Out out = step(f, new Heartbeat(3, 1, 5, 0, 0));
        assertThat(f.term()).isEqualTo(5);
        assertThat(f.status().votedFor()).isEqualTo(NONE);
        assertThat(f.leader()).isEqualTo(3);
        assertThat(out.hardStates()).contains(new HardState(5, NONE, 0));
    }

    @Test
    void aNodeGrantsAtMostOneVotePerTerm() { // election safety, §5.2
        RaftCore f = core(config(1), 5);
        Drive.flush(f);
        assertThat(answer(step(f, vote(2, 1, 0, 0))).granted()).isTrue();
        assertThat(answer(step(f, vote(3, 1, 0, 0))).granted()).as("second candidate, same term").isFalse();
        assertThat(answer(step(f, vote(2, 1, 0, 0))).granted()).as("a retransmitted request gets the same answer").isTrue();
        assertThat(answer(step(f, vote(3, 2, 0, 0))).granted()).as("a new term, a new vote").isTrue();
    }

    @Test
    void aNodeThatHasVotedPersistsTheVoteBeforeAnswering() { // Figure 2: persistent state updated before responding
        RaftCore f = core(config(1), 3);
        Drive.flush(f);
        f.step(vote(2, 4, 0, 0));
        Ready rd = f.ready();
        assertThat(rd.messages()).noneMatch(m -> m instanceof VoteResponse);
        assertThat(rd.messagesAfterPersist()).containsExactly(new VoteResponse(1, 2, 4, true, false));
        assertThat(rd.hardState()).isEqualTo(new HardState(4, 2, 0));
        f.advance(rd);
    }

    @Test
    void aRestartedNodeRemembersItsVote() {
        RaftCore f = core(config(1), 3, new HardState(4, 2, 0), List.of());
        Drive.flush(f);
        assertThat(answer(step(f, vote(3, 4, 9, 3))).granted()).isFalse();
    }

    @Test
    void electionRestrictionNoVoteForACandidateWhoseLogIsLessUpToDate() { // §5.4.1
        long[] mine = {1, 1, 2};
        record Case(long lastIndex, long lastTerm, boolean granted) {}
        List<Case> cases = List.of(
                new Case(9, 1, false), // older last term loses, however long
                new Case(2, 2, false), // same last term, shorter log
                new Case(3, 2, true),  // identical
                new Case(4, 2, true),  // same last term, longer
                new Case(1, 3, true)); // newer last term wins, however short
        for (Case k : cases) {
            RaftCore f = core(config(1), 3, new HardState(2, NONE, 0), log(mine));
            Drive.flush(f);
            assertThat(answer(step(f, vote(2, 5, k.lastIndex(), k.lastTerm()))).granted()).as(k.toString())
                    .isEqualTo(k.granted());
        }
    }

    @Test
    void aCandidateVotesForItselfPersistsThatAndAsksEveryVoter() { // §5.2
        RaftCore c = core(config(1).withPreVote(false), 5, new HardState(3, NONE, 0), log(1, 3));
        Drive.Out out = Drive.timeOut(c);
        assertThat(c.role()).isEqualTo(Role.CANDIDATE);
        assertThat(c.term()).isEqualTo(4);
        assertThat(out.hardStates().getLast()).isEqualTo(new HardState(4, 1, 0));
        assertThat(out.sent(VoteRequest.class)).extracting(VoteRequest::to).containsExactlyInAnyOrder(2, 3, 4, 5);
        assertThat(out.sent(VoteRequest.class)).allMatch(r -> r.term() == 4 && r.lastLogIndex() == 2 && r.lastLogTerm() == 3);
    }

    @Test
    void aCandidateWinsWithVotesFromAMajority() { // §5.2
        RaftCore c = core(config(1).withPreVote(false), 5);
        Drive.timeOut(c);
        step(c, new VoteResponse(2, 1, 1, true, false));
        step(c, new VoteResponse(2, 1, 1, true, false)); // a duplicate counts once
        assertThat(c.role()).isEqualTo(Role.CANDIDATE);
        step(c, new VoteResponse(3, 1, 1, true, false));
        assertThat(c.role()).isEqualTo(Role.LEADER);
        assertThat(c.leader()).isEqualTo(1);
    }

    @Test
    void aCandidateThatCanNoLongerWinReturnsToFollower() {
        RaftCore c = core(config(1).withPreVote(false), 5);
        Drive.timeOut(c);
        step(c, new VoteResponse(2, 1, 1, false, false));
        step(c, new VoteResponse(3, 1, 1, false, false));
        assertThat(c.role()).isEqualTo(Role.CANDIDATE);
        step(c, new VoteResponse(4, 1, 1, false, false));
        assertThat(c.role()).isEqualTo(Role.FOLLOWER);
        assertThat(c.term()).as("losing does not change the term").isEqualTo(1);
    }

    @Test
    void aCandidateThatSeesAHigherTermStepsDown() { // §5.1
        RaftCore c = core(config(1).withPreVote(false), 3);
        Drive.timeOut(c);
        step(c, new VoteResponse(2, 1, 4, false, false));
        assertThat(c.role()).isEqualTo(Role.FOLLOWER);
        assertThat(c.term()).isEqualTo(4);
    }

    @Test
    void aCandidateThatHearsFromALeaderOfItsTermBecomesItsFollower() { // §5.2
        RaftCore c = core(config(1).withPreVote(false), 3);
        Drive.timeOut(c);
        Drive.Out out = step(c, new AppendRequest(2, 1, 1, 0, 0, log(1), 0));
        assertThat(c.role()).isEqualTo(Role.FOLLOWER);
        assertThat(c.leader()).isEqualTo(2);
        assertThat(out.sent(AppendResponse.class)).singleElement().matches(AppendResponse::success);
    }

    @Test
    void aLeaderThatSeesAHigherTermStepsDown() { // §5.1
        RaftCore l = core(config(1), 3);
        Drive.elect(l, 2);
        step(l, new Message.HeartbeatResponse(3, 1, l.term() + 1, 0));
        assertThat(l.role()).isEqualTo(Role.FOLLOWER);
        assertThat(l.term()).isEqualTo(2);
    }

    @Test
    void aLeaderAppendsANoopOfItsTermOnElection() { // §5.4.2, §8
        RaftCore l = core(config(1), 3, new HardState(1, NONE, 1), log(1, 1));
        Drive.Out out = Drive.elect(l, 2);
        assertThat(l.term()).isEqualTo(2);
        Entry noop = out.entries().getLast();
        assertThat(noop.index()).isEqualTo(3);
        assertThat(noop.term()).isEqualTo(2);
        assertThat(noop.isNoop()).isTrue();
        assertThat(out.sent(AppendRequest.class)).hasSize(2)
                .allMatch(r -> r.entries().contains(noop) && r.prevIndex() == 2 && r.prevTerm() == 1);
    }

    @Test
    void electionTimeoutsAreRandomizedBetweenElectionAndTwiceElection() { // §5.2
        Set<Integer> seen = new HashSet<>();
        for (long seed = 0; seed < 200; seed++) {
            RaftCore c = new RaftCore(config(1).withPreVote(false), Drive.voters(3),
                    RandomGeneratorFactory.of("L64X128MixRandom").create(seed), RestoredState.empty());
            int ticks = 0;
            while (c.role() == Role.FOLLOWER) {
                c.tick();
                ticks++;
            }
            assertThat(ticks).isBetween(10, 19);
            seen.add(ticks);
            // A candidate that gets no answer times out again, after a freshly drawn timeout.
            int again = 0;
            while (c.term() == 1) {
                c.tick();
                again++;
            }
            assertThat(again).isBetween(10, 19);
        }
        assertThat(seen).as("timeouts spread over the range").hasSizeGreaterThanOrEqualTo(8);
    }

    @Test
    void aFollowerThatKeepsHearingFromItsLeaderNeverCampaigns() {
        RaftCore f = core(config(1), 3);
        Drive.flush(f);
        for (int i = 0; i < 200; i++) {
            Drive.tick(f, 1);
            if (i % 5 == 0) step(f, new Heartbeat(2, 1, 1, 0, 0));
        }
        assertThat(f.role()).isEqualTo(Role.FOLLOWER);
        assertThat(f.term()).isEqualTo(1);
    }

    @Test
    void aSingleVoterElectsItselfAndCommitsAlone() {
        RaftCore c = core(config(1), 1);
        Drive.timeOut(c);
        Drive.flush(c);
        assertThat(c.role()).isEqualTo(Role.LEADER);
        c.propose(Drive.bytes("x"));
        assertThat(Drive.flush(c).committed()).extracting(e -> new String(e.data())).containsExactly("x");
    }
}
