package raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import raftkv.raft.Message.AppendRequest;
import raftkv.raft.Message.AppendResponse;
import raftkv.raft.Message.Heartbeat;

/**
 * {@link SilentPairs}: alone, and in a narrow leader of five (the course replica's timing) cut off
 * from two followers whose answers, like a relay chain's, are lost with its partner's.
 */
class SilentPairsTest {
    private static final java.util.function.IntToLongFunction NEVER_HEARD = peer -> 0;
    /** When the leader was elected: every follower of the unit cases has been heard since (or is "never heard", 0, before it). */
    private static final long TERM_START = 0;

    @Test
    void withNothingMarkedTheFirstAsRankedAreChosen() {
        assertThat(new SilentPairs().choose(List.of(4, 5, 2, 3), 2, 10, TERM_START, peer -> 0, NEVER_HEARD)).containsExactly(4, 5);
    }

    @Test
    void aPairThatLeftARoundUnansweredIsNotChosenAgainWhileAnotherChoiceExists() {
        SilentPairs pairs = new SilentPairs();
        pairs.sent(List.of(4, 5), 7, 10, peer -> 0);
        assertThat(pairs.choose(List.of(4, 5, 2, 3), 2, 12, TERM_START, peer -> 6, NEVER_HEARD)).containsExactly(4, 2);
    }

    @Test
    void aSendIsJudgedOnlyOnceTwoTicksOld() {
        SilentPairs pairs = new SilentPairs();
        pairs.sent(List.of(4, 5), 7, 10, peer -> 0);
        assertThat(pairs.choose(List.of(4, 5, 2, 3), 2, 11, TERM_START, peer -> 6, NEVER_HEARD)).containsExactly(4, 5);
    }

    @Test
    void aRoundThatOneOfThePairAnsweredMarksNothing() {
        SilentPairs pairs = new SilentPairs();
        pairs.sent(List.of(4, 5), 7, 10, peer -> 0);
        assertThat(pairs.choose(List.of(4, 5, 2, 3), 2, 12, TERM_START, peer -> peer == 4 ? 7 : 6, NEVER_HEARD)).containsExactly(4, 5);
    }

    @Test
    void aPairIsForgottenOnceBothHaveBeenHeardFromSince() {
        SilentPairs pairs = new SilentPairs();
        pairs.sent(List.of(4, 5), 7, 10, peer -> 0);
        pairs.choose(List.of(4, 5, 2, 3), 2, 12, TERM_START, peer -> 6, NEVER_HEARD);
        assertThat(pairs.choose(List.of(4, 5, 2, 3), 2, 20, TERM_START, peer -> 7, peer -> peer == 4 ? 15 : 0))
                .as("only 4 heard since").containsExactly(4, 2);
        assertThat(pairs.choose(List.of(4, 5, 2, 3), 2, 21, TERM_START, peer -> 7, peer -> 15)).containsExactly(4, 5);
    }

    /** Under loss the pair that could answer is marked by chance too: the choice comes back to it. */
    @Test
    void whenEveryPairIsMarkedThePairMarkedLongestAgoIsChosen() {
        SilentPairs pairs = new SilentPairs();
        List<Integer> ranked = List.of(2, 3, 4);
        pairs.sent(List.of(3, 4), 7, 10, peer -> 0); // the oldest failure
        pairs.sent(List.of(2, 3), 7, 20, peer -> 0);
        pairs.sent(List.of(2, 4), 7, 30, peer -> 0);
        assertThat(pairs.choose(ranked, 2, 40, TERM_START, peer -> 6, NEVER_HEARD)).containsExactly(3, 4);
        pairs.sent(List.of(3, 4), 7, 40, peer -> 0);
        assertThat(pairs.choose(ranked, 2, 50, TERM_START, peer -> 6, NEVER_HEARD)).containsExactly(2, 3);
    }

    /**
     * A new leader (elected at tick 100) has heard only its voters, 2 and 3, and their chain was
     * lost by chance: the pairs holding 4 or 5, not heard from this term, come after it though unmarked.
     */
    @Test
    void aMarkedPairHeardThisTermGoesBeforeUnmarkedPairsHoldingAFollowerNotHeardThisTerm() {
        SilentPairs pairs = new SilentPairs();
        pairs.sent(List.of(2, 3), 7, 200, peer -> 0);
        java.util.function.IntToLongFunction heard = peer -> peer <= 3 ? 195 : 50;
        assertThat(pairs.choose(List.of(2, 3, 4, 5), 2, 210, 100, peer -> 6, heard)).containsExactly(2, 3);
        assertThat(pairs.choose(List.of(2, 3, 4, 5), 2, 210, 100, peer -> 6, peer -> peer == 5 ? 50 : 195))
                .as("4 heard this term too: an unmarked pair of followers heard this term").containsExactly(2, 4);
    }

    /**
     * Rounds alternate between the pairs 2-3 and 4-5 (each the most recently heard in turn); at
     * tick 300 followers {@code cutA} and {@code cutB} are cut off. Writes come every 12 ticks.
     * Without SilentPairs the leader kept offering them to a pair holding a cut follower: 151 ticks
     * (more than an election timeout, 120) in four of the six cases; with it, 1-40.
     */
    @ParameterizedTest
    @CsvSource({"3,5", "2,4", "4,5", "2,3", "2,5", "3,4"})
    void aNarrowLeaderCutOffFromTwoFollowersCommitsWithinAFewWrites(int cutA, int cutB) {
        assertThat(ticksUntilTheFirstWriteAfterTheCutCommits(Set.of(cutA, cutB))).isLessThan(60);
    }

    /**
     * As above, but after the cut only one write comes (the course's clients forget the leader at
     * a partition, and wait at followers): the retries find a pair that answers. Retrying without
     * doubling the wait while a new pairing is left: 1-100 ticks (five retries); with the wait
     * doubling after every retry, 1-151; without SilentPairs, 121 (when check-quorum nears and the
     * leader heartbeats every follower it has not heard) in four of the six cases.
     */
    @ParameterizedTest
    @CsvSource({"3,5", "2,4", "4,5", "2,3", "2,5", "3,4"})
    void aNarrowLeaderCutOffFromTwoFollowersFindsTwoThatAnswerWithinFiveRetries(int cutA, int cutB) {
        assertThat(ticksUntilTheFirstWriteAfterTheCutCommits(Set.of(cutA, cutB), false)).isLessThanOrEqualTo(100);
    }

    /**
     * A leader elected on the majority side of a partition by followers 2 and 3 (4 and 5 are cut
     * off and have not been heard from this term) loses its round at tick {@code lostAt} by chance.
     * Before unheard followers went after marks, it next tried every pair holding 4 or 5
     * (unmarked), one retry wait each: 49-120 ticks, seen in a kept advanced-1 run as a new leader
     * that committed nothing in the 1.1 s before the heal. Now its voters again at the first retry.
     */
    @ParameterizedTest
    @CsvSource({"0,false", "1,true", "1,false"})
    void aNewLeaderWhoseRoundToItsVotersWasLostTriesThemAgainBeforeFollowersItHasNotHeard(int lostAt, boolean writesGoOn) {
        RaftConfig cfg = RaftConfig.defaults(1).withElectionTicks(120, 100).withQuorumFanout(true).withRetransmitTicks(20)
                .withLeaseReads(true);
        RaftCore l = Drive.core(cfg, 5);
        List<Message> inFlight = new ArrayList<>(Drive.elect(l, 2, 3).all());
        assertThat(ticksUntilTheFirstWriteCommits(l, inFlight, 0, Set.of(4, 5), lostAt, writesGoOn)).isLessThanOrEqualTo(20);
    }

    /**
     * As above, but the new leader starts wide (its predecessor reported heavy loss, as a leader
     * cut off by a partition does), its first round (the no-op, to three followers) is lost and
     * no write comes. Its retry, 6 ticks later, went first to the followers with nothing in
     * flight, 4 or 5 across the partition, and the no-op committed at the second retry (18
     * ticks); now the retry goes to its voters.
     */
    @Test
    void aWideNewLeaderRetriesToItsVotersBeforeFollowersItHasNotHeard() {
        RaftConfig cfg = RaftConfig.defaults(1).withElectionTicks(120, 100).withQuorumFanout(true).withRetransmitTicks(20)
                .withLeaseReads(true);
        RaftCore l = Drive.core(cfg, 5);
        l.hintMessageLoss(true);
        List<Message> inFlight = new ArrayList<>(Drive.elect(l, 2, 3).all()); // its no-op, lost below
        for (int tick = 1; tick < 100; tick++) {
            for (Message m : Drive.tick(l, 1).all()) {
                if (m instanceof AppendRequest r && r.to() <= 3) {
                    l.step(new AppendResponse(r.to(), 1, r.term(), true, r.lastIndex(), 0, 0, r.round()));
                }
            }
            Drive.flush(l);
            if (l.status().commitIndex() >= l.status().lastIndex()) {
                assertThat(tick).isLessThanOrEqualTo(6);
                return;
            }
        }
        throw new AssertionError("the no-op never committed");
    }

    private static int ticksUntilTheFirstWriteAfterTheCutCommits(Set<Integer> cutAfterward) {
        return ticksUntilTheFirstWriteAfterTheCutCommits(cutAfterward, true);
    }

    private static int ticksUntilTheFirstWriteAfterTheCutCommits(Set<Integer> cutAfterward, boolean writesGoOn) {
        RaftConfig cfg = RaftConfig.defaults(1).withElectionTicks(120, 100).withQuorumFanout(true).withRetransmitTicks(20)
                .withLeaseReads(true);
        RaftCore l = Drive.core(cfg, 5);
        List<Message> inFlight = new ArrayList<>(Drive.elect(l, 2, 3, 4, 5).all());
        return ticksUntilTheFirstWriteCommits(l, inFlight, 300, cutAfterward, -1, writesGoOn);
    }

    /**
     * Drives leader {@code l} tick by tick, its followers answering at once; from {@code cutAt} on
     * followers {@code cutAfterward} are cut off, and at tick {@code lostAt} everything in flight is
     * lost. A write every 12 ticks (from {@code cutAt} on only one unless {@code writesGoOn}).
     * Returns the ticks from {@code cutAt} until the first write proposed then commits.
     */
    private static int ticksUntilTheFirstWriteCommits(RaftCore l, List<Message> inFlight, int cutAt, Set<Integer> cutAfterward,
                                                      int lostAt, boolean writesGoOn) {
        Set<Integer> cut = Set.of();
        long firstAfter = -1;
        for (int tick = 0; tick < cutAt + 2 * 120; tick++) {
            if (tick == cutAt) cut = cutAfterward;
            Set<Integer> to = new TreeSet<>();
            for (Message m : inFlight) if (m instanceof AppendRequest || m instanceof Heartbeat) to.add(m.to());
            // A message to two followers is a relay chain: through a cut one, neither answer returns.
            boolean chainBroken = to.size() == 2 && to.stream().anyMatch(cut::contains) || tick == lostAt;
            Set<Integer> cutNow = cut;
            Drive.answerOnce(l, inFlight, m -> !chainBroken && !cutNow.contains(m.to()));
            List<Message> next = new ArrayList<>(Drive.flush(l).all());
            if (tick % 12 == 0 && (writesGoOn || firstAfter < 0)) {
                l.propose(Drive.bytes("x" + tick));
                if (tick >= cutAt && firstAfter < 0) firstAfter = l.status().lastIndex();
                next.addAll(Drive.flush(l).all());
            }
            next.addAll(Drive.tick(l, 1).all());
            inFlight = next;
            assertThat(l.role()).isEqualTo(Role.LEADER);
            if (firstAfter > 0 && l.status().commitIndex() >= firstAfter) return tick - cutAt;
        }
        return Integer.MAX_VALUE;
    }
}
