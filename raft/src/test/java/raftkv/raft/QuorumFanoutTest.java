package raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import raftkv.raft.Message.AppendRequest;
import raftkv.raft.Message.AppendResponse;
import raftkv.raft.Message.Heartbeat;
import raftkv.raft.Message.HeartbeatResponse;

/**
 * Opt-in quorum fan-out ({@link RaftConfig#quorumFanout()}) on a five-node cluster, driven by hand:
 * node 1 leads and the test plays the four followers, deciding who answers and when.
 */
class QuorumFanoutTest {
    private static final int HEARTBEAT = 5;

    /** A leader whose four followers all hold its no-op (index 1). */
    private static RaftCore caughtUpLeader() {
        return caughtUpLeader(HEARTBEAT);
    }

    private static RaftCore caughtUpLeader(int heartbeatTicks) {
        return caughtUpLeader(RaftConfig.defaults(1).withElectionTicks(20, heartbeatTicks).withQuorumFanout(true));
    }

    private static RaftCore caughtUpLeader(RaftConfig cfg) {
        int heartbeatTicks = cfg.heartbeatTicks();
        RaftCore l = Drive.core(cfg, 5);
        Drive.Out out = Drive.elect(l, 2, 3, 4, 5);
        for (int i = 0; i < 3 * heartbeatTicks && !l.status().matchIndex().values().stream().allMatch(m -> m == 1); i++) {
            answer(l, out, Set.of(2, 3, 4, 5));
            out = Drive.tick(l, 1);
        }
        assertThat(l.status().matchIndex()).containsOnlyKeys(2, 3, 4, 5).allSatisfy((k, v) -> assertThat(v).isEqualTo(1));
        return l;
    }

    /**
     * The followers in {@code from} answer everything {@code out} sent them, and what the leader sends
     * them in turn, until it sends them nothing more. Returns what the leader sent everyone else.
     */
    private static List<Message> answer(RaftCore l, Drive.Out out, Set<Integer> from) {
        List<Message> others = new ArrayList<>();
        List<Message> pending = new ArrayList<>(out.all());
        while (!pending.isEmpty()) {
            Message m = pending.removeFirst();
            if (!from.contains(m.to())) {
                others.add(m);
                continue;
            }
            switch (m) {
                case AppendRequest r -> l.step(new AppendResponse(r.to(), 1, r.term(), true, r.lastIndex(), 0, 0, r.round()));
                case Heartbeat h -> l.step(new HeartbeatResponse(h.to(), 1, h.term(), h.round()));
                default -> { }
            }
            pending.addAll(Drive.flush(l).all());
        }
        return others;
    }

    /** Starts a confirmation round: a heartbeat to every follower, which also resets their idle time. */
    private static Drive.Out heartbeatRound(RaftCore l, long context) {
        l.readIndex(context);
        return Drive.flush(l);
    }

    private static List<Integer> appendRecipients(Drive.Out out, long entryIndex) {
        return out.sent(AppendRequest.class).stream()
                .filter(r -> r.prevIndex() < entryIndex && r.lastIndex() >= entryIndex)
                .map(Message::to).sorted().toList();
    }

    /** 2 and 3 answer a heartbeat round, then, a tick later, 4 and 5: those are the most recently heard. */
    private static void makeFourAndFiveTheMostRecentlyHeard(RaftCore l) {
        Drive.Out round = heartbeatRound(l, 1);
        answer(l, round, Set.of(2, 3));
        Drive.tick(l, 1);
        answer(l, round, Set.of(4, 5));
    }

    @Test
    void aProposalGoesAtOnceOnlyToAsManyFollowersAsAQuorumNeedsTheMostRecentlyHeard() {
        RaftCore l = caughtUpLeader();
        makeFourAndFiveTheMostRecentlyHeard(l);

        l.propose(Drive.bytes("x"));
        Drive.Out out = Drive.flush(l);

        assertThat(appendRecipients(out, 2)).containsExactly(4, 5);
        assertThat(out.sent(AppendRequest.class)).hasSize(2);
    }

    @Test
    void aNewLeaderOffersItsFirstEntriesToThoseThatAnsweredItsVoteRequests() {
        RaftCore l = Drive.core(RaftConfig.defaults(1).withElectionTicks(20, HEARTBEAT).withQuorumFanout(true), 5);
        Drive.tick(l, 3 * 20); // long after start: nobody counts as heard from lately
        Drive.Out won = Drive.elect(l, 4, 5); // 2 and 3 never answered: they may be dead
        assertThat(appendRecipients(won, 1)).containsExactly(4, 5);
    }


    @Test
    void aLeaderWhoseRoundsLoseHalfTheirAnswersWidensAndStaysWide() {
        RaftCore l = caughtUpLeader();
        Drive.tick(l, 2);
        assertThat(l.status().heavyLoss()).as("a new leader starts narrow").isFalse();
        Set<Integer> half = Set.of(2, 3);
        for (int round = 0; round < 16; round++) {
            l.propose(Drive.bytes("x" + round));
            answer(l, Drive.flush(l), half); // the other half is lost, and answers the next round
            answer(l, Drive.tick(l, 2), half);
            half = half.contains(2) ? Set.of(4, 5) : Set.of(2, 3);
        }
        assertThat(l.status().heavyLoss()).isTrue();
    }

    @Test
    void followersThatFallSilentAreNoSignOfLoss() {
        RaftCore l = caughtUpLeader();
        Drive.tick(l, 2); // its first round judged: all answered
        assertThat(l.status().heavyLoss()).isFalse();
        for (int round = 0; round < 6; round++) {
            l.propose(Drive.bytes("x" + round));
            answer(l, Drive.flush(l), Set.of(2, 3)); // 4 and 5 are cut off
            answer(l, Drive.tick(l, 2), Set.of(2, 3));
        }
        assertThat(l.status().heavyLoss()).as("a partition is not loss").isFalse();
    }

    @Test
    void answersThatComeAfewTicksLateAreNoSignOfLossWhenNoRoundFollowsSooner() {
        // A busy machine: each round's answers come three ticks after it, the next round later.
        RaftCore l = caughtUpLeader(RaftConfig.defaults(1).withElectionTicks(20, HEARTBEAT).withQuorumFanout(true)
                .withRetransmitTicks(20));
        Set<Integer> all = Set.of(2, 3, 4, 5);
        answer(l, Drive.tick(l, FanoutPolicy.JUDGE_AFTER_TICKS), all);
        for (int round = 0; round < 8; round++) {
            l.propose(Drive.bytes("x" + round));
            Drive.Out sent = Drive.flush(l);
            Drive.Out meanwhile = Drive.tick(l, 3);
            answer(l, sent, all);
            answer(l, meanwhile, all);
            answer(l, Drive.tick(l, FanoutPolicy.JUDGE_AFTER_TICKS), all);
        }
        assertThat(l.status().commitIndex()).isEqualTo(9);
        assertThat(l.status().heavyLoss()).isFalse();
    }

    @Test
    void theOthersGetTheEntriesAsTheirHeartbeatNotAsAHeartbeatPlusAnAppend() {
        RaftCore l = caughtUpLeader();
        makeFourAndFiveTheMostRecentlyHeard(l);
        l.propose(Drive.bytes("x"));
        answer(l, Drive.flush(l), Set.of(4, 5));
        assertThat(l.commitIndex()).as("leader, 4 and 5 are a quorum").isEqualTo(2);

        List<Message> toTwoAndThree = new ArrayList<>();
        for (int i = 0; i <= HEARTBEAT && toTwoAndThree.stream().map(Message::to).distinct().count() < 2; i++) {
            for (Message m : Drive.tick(l, 1).all()) if (m.to() == 2 || m.to() == 3) toTwoAndThree.add(m);
        }

        assertThat(toTwoAndThree).as("one message each, within a heartbeat interval").hasSize(2)
                .allSatisfy(m -> {
                    assertThat(m).isInstanceOf(AppendRequest.class);
                    AppendRequest r = (AppendRequest) m;
                    assertThat(r.entries()).extracting(Entry::index).containsExactly(2L);
                    assertThat(r.commit()).as("and it tells them the entry is committed").isEqualTo(2);
                });
        assertThat(toTwoAndThree).extracting(Message::to).containsExactlyInAnyOrder(2, 3);
    }

    @Test
    void withoutACommitWithinTwoTicksAsManyMoreAsTheQuorumLacksGetThem() {
        RaftCore l = caughtUpLeader();
        makeFourAndFiveTheMostRecentlyHeard(l);
        l.propose(Drive.bytes("x"));
        Drive.Out sent = Drive.flush(l);
        assertThat(appendRecipients(sent, 2)).containsExactly(4, 5);

        answer(l, sent, Set.of(4)); // 5 has died
        assertThat(l.commitIndex()).as("leader and 4 are no quorum of five").isEqualTo(1);

        Drive.Out firstTick = Drive.tick(l, 1);
        assertThat(appendRecipients(firstTick, 2)).as("one tick is not yet too long").isEmpty();
        Drive.Out secondTick = Drive.tick(l, 1);
        assertThat(appendRecipients(secondTick, 2)).as("after two ticks one more, as many as the quorum lacks")
                .containsExactly(2);
        assertThat(secondTick.sent(Heartbeat.class)).as("no heartbeat was due").isEmpty();

        answer(l, secondTick, Set.of(2));
        assertThat(l.commitIndex()).as("leader, 4 and 2").isEqualTo(2);
    }

    @Test
    void aChosenFollowerThatStopsAnsweringStopsBeingChosen() {
        RaftCore l = caughtUpLeader();
        makeFourAndFiveTheMostRecentlyHeard(l);
        l.propose(Drive.bytes("x"));
        Drive.Out sent = Drive.flush(l);
        answer(l, sent, Set.of(4)); // 5 is cut off from now on
        Drive.tick(l, 1);
        answer(l, Drive.tick(l, 1), Set.of(2, 3, 4)); // the widening reaches 2 and 3, who answer
        assertThat(l.commitIndex()).isEqualTo(2);

        l.propose(Drive.bytes("y"));
        Drive.Out next = Drive.flush(l);

        assertThat(appendRecipients(next, 3)).hasSize(2).doesNotContain(5).isSubsetOf(2, 3, 4);
    }

    @Test
    void aCommitStillNeedsARealQuorumEvenWhenOnlyTheChosenAnswer() {
        RaftCore l = caughtUpLeader();
        makeFourAndFiveTheMostRecentlyHeard(l);
        l.propose(Drive.bytes("x"));
        Drive.Out sent = Drive.flush(l);
        answer(l, sent, Set.of(5));
        // Whatever the widening and the heartbeats send, nobody but 5 answers: no commit.
        for (int i = 0; i < 3 * HEARTBEAT; i++) {
            Drive.tick(l, 1);
            assertThat(l.commitIndex()).isEqualTo(1);
        }
        assertThat(l.role()).isEqualTo(Role.LEADER);
    }

    /** A round whose two chosen followers stay silent until the retry, when everyone answers. */
    private static void unansweredRound(RaftCore l, String command) {
        unansweredRound(l, command, 2); // the retry wait without retransmitTicks
    }

    /** The same, the leader's first retry coming within {@code ticks}. */
    private static void unansweredRound(RaftCore l, String command, int ticks) {
        l.propose(Drive.bytes(command));
        Drive.flush(l);
        answer(l, Drive.tick(l, ticks), Set.of(2, 3, 4, 5));
        assertThat(l.commitIndex()).isEqualTo(l.lastIndex());
    }

    @Test
    void whenChosenFollowersOftenFailToAnswerRoundsGoToEveryFollowerHeardLately() {
        RaftCore l = caughtUpLeader();
        for (int i = 0; i < 8; i++) unansweredRound(l, "lost" + i);

        l.propose(Drive.bytes("x"));
        Drive.Out out = Drive.flush(l);
        assertThat(appendRecipients(out, l.lastIndex())).containsExactly(2, 3, 4, 5);
    }

    @Test
    void aWideLeaderAddsAFollowerSentLittleSinceItLastAnsweredToABareQuorum() {
        // Heartbeats every 10 ticks: 2 and 3 get two in the 21 ticks after the widening, and
        // answer neither. Silent for longer than an election timeout, but on two messages: under
        // heavy loss that is likely loss, and a round to 4 and 5 alone commits only if both answer.
        RaftCore l = caughtUpLeader(10);
        for (int i = 0; i < 8; i++) unansweredRound(l, "lost" + i);
        answer(l, heartbeatRound(l, 1), Set.of(2, 3, 4, 5));
        assertThat(l.heavyLoss()).isTrue();
        for (int t = 0; t < 21; t++) answer(l, Drive.tick(l, 1), Set.of(4, 5));
        l.propose(Drive.bytes("x"));
        assertThat(appendRecipients(Drive.flush(l), l.lastIndex())).hasSize(3).contains(4, 5);
    }

    /**
     * A wide leader whose followers 3 and 5 are cut off by a partition, while 2 and 4, under heavy
     * loss, answer every other round and each retry; 3 and 5 have gone unheard for an election
     * timeout after round 10. Runs {@code rounds} rounds and returns, per cut-off follower, the
     * rounds after the tenth that offered it entries.
     */
    private static java.util.Map<Integer, List<Integer>> roundsWithTwoCutOff(RaftCore l, int rounds) {
        java.util.Map<Integer, List<Integer>> offeredIn = new java.util.TreeMap<>();
        for (int r = 0; r < rounds; r++) {
            l.propose(Drive.bytes("cut" + r));
            Drive.Out round = Drive.flush(l);
            for (int gone : List.of(3, 5)) {
                if (r > 10 && appendRecipients(round, l.lastIndex()).contains(gone)) {
                    offeredIn.computeIfAbsent(gone, k -> new ArrayList<>()).add(r);
                }
            }
            answer(l, round, Set.of(r % 2 == 0 ? 2 : 4));
            answer(l, Drive.tick(l, 2), Set.of(2, 4));
        }
        return offeredIn;
    }

    /** A leader widened by lost rounds, with heartbeats every 10 ticks. */
    private static RaftCore widenedLeader10() {
        RaftCore l = caughtUpLeader(10);
        for (int i = 0; i < 8; i++) unansweredRound(l, "lost" + i);
        return l;
    }

    @Test
    void aWideLeaderOffersAFollowerThatLeftFourMessagesInARowUnansweredARoundOnlyAfterEverMoreRoundsLeftOut() {
        // A wide round's spare beyond the quorum goes to 3 or 5 only now and then, ever more
        // rarely: a live follower whose answers were lost is soon tried again, and one that is
        // dead or cut off costs a message now and then, ever more rarely.
        RaftCore l = widenedLeader10();
        java.util.Map<Integer, List<Integer>> offeredIn = roundsWithTwoCutOff(l, 64);
        assertThat(l.heavyLoss()).as("still wide").isTrue();
        assertThat(offeredIn).as("rounds after the tenth that offered 3 or 5 entries").containsOnlyKeys(3, 5);
        offeredIn.forEach((gone, rounds) -> {
            assertThat(rounds.getFirst()).as("first offered again within two rounds").isLessThanOrEqualTo(12);
            assertThat(rounds).as("rounds offered to %d", gone).hasSizeLessThanOrEqualTo(6);
            for (int i = 2; i < rounds.size(); i++) {
                assertThat(rounds.get(i) - rounds.get(i - 1)).as("the wait grows: %s", rounds)
                        .isGreaterThan(rounds.get(i - 1) - rounds.get(i - 2));
            }
        });
    }

    @Test
    void aWideLeaderAddsAFollowerWhosePreVoteReachedItThoughItLeftFourMessagesUnanswered() {
        // As above, and 3's pre-vote gets through at a round when neither 3 nor 5 is due a spare
        // round: 3 is alive and reaches us, only our messages or its answers were lost. A star
        // through 2, 3 and 4 gets through more often than a chain through 2 and 4.
        RaftCore l = widenedLeader10();
        roundsWithTwoCutOff(l, 64);
        RaftCore control = widenedLeader10();
        roundsWithTwoCutOff(control, 64);
        control.propose(Drive.bytes("x"));
        assertThat(appendRecipients(Drive.flush(control), control.lastIndex())).as("without the pre-vote").containsExactly(2, 4);

        l.step(new Message.VoteRequest(3, 1, l.term() + 1, 1, 1, true, false));
        assertThat(Drive.flush(l).sent(Heartbeat.class)).extracting(Message::to).containsExactly(3);
        assertThat(l.heavyLoss()).as("still wide").isTrue();
        l.propose(Drive.bytes("x"));
        assertThat(appendRecipients(Drive.flush(l), l.lastIndex())).containsExactly(2, 3, 4);
    }

    @Test
    void whenAnswersComeBackRoundsNarrowToAQuorumAgain() {
        RaftCore l = caughtUpLeader();
        for (int i = 0; i < 8; i++) unansweredRound(l, "lost" + i);
        answeredRounds(l, 10);

        l.propose(Drive.bytes("x"));
        assertThat(appendRecipients(Drive.flush(l), l.lastIndex())).hasSize(2);
    }

    /** Rounds answered at once by every follower sent them, each judged when the next goes out. */
    private static void answeredRounds(RaftCore l, int count) {
        for (int i = 0; i < count; i++) {
            l.propose(Drive.bytes("ok" + i));
            answer(l, Drive.flush(l), Set.of(2, 3, 4, 5));
            Drive.tick(l, 2); // old enough to be judged when the next round goes out
        }
    }

    @Test
    void twoLostRoundsInARowDoNotWidenANewLeader() {
        // Under 10 % loss a relay chain loses both its answers about one round in four, so a new
        // leader often sees two such rounds early on: no sign of heavy loss (each would cost a star).
        RaftCore l = caughtUpLeader();
        for (int i = 0; i < 2; i++) unansweredRound(l, "lost" + i);
        l.propose(Drive.bytes("x"));
        assertThat(appendRecipients(Drive.flush(l), l.lastIndex())).hasSize(2);
    }

    @Test
    void aFewLostRoundsDoNotWidenTheFanoutOfALeaderWhoseRoundsWereAnswered() {
        RaftCore l = caughtUpLeader();
        answeredRounds(l, 10);
        for (int i = 0; i < 2; i++) unansweredRound(l, "lost" + i);

        l.propose(Drive.bytes("x"));
        assertThat(appendRecipients(Drive.flush(l), l.lastIndex())).hasSize(2);
    }

    @Test
    void idleFollowersMoreThanHalfWayToTheirHeartbeatGetItTogetherWithTheOneThatIsDue() {
        RaftCore l = caughtUpLeader();
        makeFourAndFiveTheMostRecentlyHeard(l); // a heartbeat to everyone, then a tick
        l.propose(Drive.bytes("x"));
        answer(l, Drive.flush(l), Set.of(4, 5)); // 4 and 5 were last sent something a tick later than 2 and 3

        for (int i = 0; i < 2 * HEARTBEAT; i++) {
            List<Integer> reached = Drive.tick(l, 1).all().stream()
                    .filter(m -> m instanceof Heartbeat || m instanceof AppendRequest).map(Message::to).sorted().toList();
            if (!reached.isEmpty()) {
                assertThat(reached).as("one tick for all four").containsExactly(2, 3, 4, 5);
                return;
            }
        }
        throw new AssertionError("no heartbeat within two heartbeat intervals");
    }

    @Test
    void aStreamOfWritesDoesNotKeepAStuckRoundFromBeingRetried() {
        RaftCore l = caughtUpLeader();
        makeFourAndFiveTheMostRecentlyHeard(l);
        long first = l.lastIndex() + 1;
        // A write every tick, faster than the retry wait (2 ticks); 5 has died, the others answer.
        for (int i = 0; i < 3; i++) {
            l.propose(Drive.bytes("w" + i));
            answer(l, Drive.flush(l), Set.of(2, 3, 4));
            answer(l, Drive.tick(l, 1), Set.of(2, 3, 4));
        }
        assertThat(l.commitIndex()).as("committed well before 2 and 3 would be due a heartbeat (5 ticks)")
                .isGreaterThanOrEqualTo(first);
    }

    @Test
    void whileWideAnUnansweredRoundIsRetriedAfterAThirdOfTheRetransmitWait() {
        // Wide, half the rounds are lost and a write waits for its retry rather than for the next
        // write: 4 ticks here, a third of retransmitTicks (the course replica: 60 ms, so that a put
        // whose first round was lost is answered well under 100 ms, where advanced-3's median
        // would be No credit).
        RaftCore l = caughtUpLeader(RaftConfig.defaults(1).withElectionTicks(40, 20).withQuorumFanout(true)
                .withRetransmitTicks(12));
        for (int i = 0; i < 8; i++) unansweredRound(l, "lost" + i, 12);
        assertThat(l.heavyLoss()).as("widened").isTrue();
        l.propose(Drive.bytes("x"));
        long x = l.lastIndex();
        assertThat(appendRecipients(Drive.flush(l), x)).isNotEmpty();
        List<Integer> retriedAt = new ArrayList<>();
        for (int t = 1; t <= 12; t++) if (!appendRecipients(Drive.tick(l, 1), x).isEmpty()) retriedAt.add(t);
        assertThat(retriedAt).as("ticks at which the round went again, the wait doubling").containsExactly(4, 12);
    }

    /** A leader widened by lost rounds, whose followers all answered the last retry: all heard from lately. */
    private static RaftCore widenedLeader() {
        RaftCore l = caughtUpLeader();
        for (int i = 0; i < 8; i++) unansweredRound(l, "lost" + i);
        return l;
    }

    /** Ticks until the leader next sends follower 2 anything, followers answering nothing meanwhile. */
    private static int ticksUntilFollowerTwoHears(RaftCore l) {
        for (int i = 1; i <= 3 * HEARTBEAT; i++) {
            if (Drive.tick(l, 1).all().stream().anyMatch(m -> m.to() == 2)) return i;
        }
        throw new AssertionError("follower 2 heard nothing for three heartbeat intervals");
    }

    @Test
    void aFollowerSilentForFiveElectionTimeoutsIsPresumedDownAndHeartbeatFourTimesLessOften() {
        List<Integer> gaps = heartbeatGapsToADeadFollowerTwo(5 * 20 + 12 * HEARTBEAT); // election timeout 20 ticks
        assertThat(gaps.subList(0, 3)).as("heard from lately").allMatch(g -> g <= HEARTBEAT);
        assertThat(gaps.getLast()).as("presumed down").isEqualTo(4 * HEARTBEAT);
    }

    /**
     * The course's partitions last two or three seconds (under three election timeouts of its
     * replica): a follower cut off that long must hear from the leader within a heartbeat of the
     * heal, or the clients it holds wait for its next heartbeat, four intervals later.
     */
    @Test
    void aFollowerSilentForFourElectionTimeoutsIsStillHeartbeatAtTheNormalRate() {
        List<Integer> gaps = heartbeatGapsToADeadFollowerTwo(4 * 20);
        assertThat(gaps).as("gaps between sends to follower 2").isNotEmpty().allMatch(g -> g <= HEARTBEAT);
    }

    /** Gaps, in ticks, between the leader's sends to follower 2 over {@code ticks} ticks, 2 answering nothing. */
    private static List<Integer> heartbeatGapsToADeadFollowerTwo(int ticks) {
        RaftCore l = caughtUpLeader(); // election timeout 20 ticks
        List<Integer> sendsToTwo = new ArrayList<>();
        for (int tick = 1; tick <= ticks; tick++) {
            // 3, 4 and 5 answer everything; 2 has died
            if (!answer(l, Drive.tick(l, 1), Set.of(3, 4, 5)).stream().filter(m -> m.to() == 2).toList().isEmpty()) {
                sendsToTwo.add(tick);
            }
        }
        assertThat(l.role()).isEqualTo(Role.LEADER);
        List<Integer> gaps = new ArrayList<>();
        for (int i = 1; i < sendsToTwo.size(); i++) gaps.add(sendsToTwo.get(i) - sendsToTwo.get(i - 1));
        return gaps;
    }

    @Test
    void aNewLeaderHeartbeatsTheFollowersThatDidNotAnswerItsVoteAtTheNormalRate() {
        RaftCore l = Drive.core(RaftConfig.defaults(1).withElectionTicks(20, HEARTBEAT).withQuorumFanout(true), 5);
        Drive.tick(l, 10 * 20); // long after start
        answer(l, Drive.elect(l, 2, 3), Set.of(2, 3)); // 4 and 5 did not answer the vote
        assertThat(ticksUntilFollowerFourHears(l)).as("not presumed down: it was never silent to this leader")
                .isLessThanOrEqualTo(HEARTBEAT);
    }

    private static int ticksUntilFollowerFourHears(RaftCore l) {
        for (int i = 1; i <= 5 * HEARTBEAT; i++) {
            if (answerAllBut(l, Drive.tick(l, 1), 4).stream().anyMatch(m -> m.to() == 4)) return i;
        }
        return Integer.MAX_VALUE;
    }

    /** Everyone but {@code silent} answers what {@code out} holds; returns what went to the others. */
    private static List<Message> answerAllBut(RaftCore l, Drive.Out out, int silent) {
        Set<Integer> answering = new java.util.HashSet<>(Set.of(2, 3, 4, 5));
        answering.remove(silent);
        List<Message> others = answer(l, out, answering);
        others.addAll(out.all().stream().filter(m -> m.to() == silent).toList());
        return others;
    }

    /** Ticks (at most {@code limit}) until the leader, whose followers answer nothing, steps down. */
    private static int ticksUntilSteppingDown(RaftCore l, int limit) {
        for (int i = 1; i <= limit; i++) {
            Drive.tick(l, 1);
            if (l.role() != Role.LEADER) return i;
        }
        return Integer.MAX_VALUE;
    }

    @Test
    void whileWideTheLeaderForgivesOneCheckQuorumPeriodWithoutAQuorumButNotTwo() {
        int period = 20; // the election timeout of these leaders
        RaftCore classic = Drive.core(RaftConfig.defaults(1).withElectionTicks(period, HEARTBEAT), 5);
        Drive.elect(classic, 2, 3, 4, 5);
        // Both heard from everyone just now; from here on nobody answers. Their first check finds a
        // quorum heard. The second deposes the classic leader; the widened one it forgives.
        assertThat(ticksUntilSteppingDown(classic, 3 * period)).as("without fan-out: at the second check")
                .isGreaterThan(period).isLessThanOrEqualTo(2 * period);
        assertThat(ticksUntilSteppingDown(widenedLeader(), 4 * period)).as("wide")
                .isGreaterThan(2 * period).isLessThanOrEqualTo(3 * period);
    }
}
