package raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import raftkv.raft.Message.AppendRequest;
import raftkv.raft.Message.AppendResponse;

/**
 * {@link RaftCore#hedgeRound()}: the transport heard nothing from a round's followers within a few
 * milliseconds, and a leader under heavy loss sends the entries once more, to as many followers as
 * a quorum lacks.
 */
class HedgeRoundTest {
    private static final RaftConfig FANOUT = RaftConfig.defaults(1).withElectionTicks(20, 5).withQuorumFanout(true);

    /** Node 1 leads five, every follower having answered its first entry; wide if {@code heavyLoss}. */
    private static RaftCore leader(boolean heavyLoss) {
        RaftCore l = Drive.core(FANOUT, 5);
        l.hintMessageLoss(heavyLoss);
        Drive.answerAll(l, Drive.elect(l, 2, 3, 4, 5).all());
        assertThat(l.heavyLoss()).isEqualTo(heavyLoss);
        return l;
    }

    /** Proposes a write and returns the appends that offer it. */
    private static List<AppendRequest> write(RaftCore l, String value) {
        l.propose(Drive.bytes(value));
        long index = l.lastIndex();
        return Drive.flush(l).sent(AppendRequest.class).stream().filter(r -> r.lastIndex() >= index).toList();
    }

    @Test
    void aWideLeaderSendsAnUnansweredRoundAgainToTwoFollowersFromWhatTheyHold() {
        RaftCore l = leader(true);
        long committed = l.commitIndex();
        assertThat(write(l, "a")).hasSize(3);

        l.hedgeRound();
        List<AppendRequest> again = Drive.flush(l).sent(AppendRequest.class);
        assertThat(again).hasSize(2);
        assertThat(again).allSatisfy(r -> {
            assertThat(r.prevIndex()).isEqualTo(committed);
            assertThat(r.lastIndex()).isEqualTo(l.lastIndex());
        });
        // Answered, they commit the write.
        for (AppendRequest r : again) Drive.step(l, new AppendResponse(r.to(), 1, r.term(), true, r.lastIndex(), 0, 0, r.round()));
        assertThat(l.commitIndex()).isEqualTo(l.lastIndex());
    }

    @Test
    void aNarrowLeaderOrOneWithNothingUncommittedIgnoresIt() {
        RaftCore narrow = leader(false);
        write(narrow, "a");
        narrow.hedgeRound();
        assertThat(Drive.flush(narrow).all()).isEmpty();

        RaftCore wide = leader(true);
        wide.hedgeRound();
        assertThat(Drive.flush(wide).all()).isEmpty();
    }

    @Test
    void roundsAnsweredOnlyThroughTheirHedgeStillCountAsLostSoTheLeaderStaysWide() {
        RaftCore l = leader(true);
        for (int i = 0; i < 40; i++) {
            write(l, "w" + i); // lost
            l.hedgeRound();
            for (AppendRequest r : Drive.flush(l).sent(AppendRequest.class)) {
                Drive.step(l, new AppendResponse(r.to(), 1, r.term(), true, r.lastIndex(), 0, 0, r.round()));
            }
            assertThat(l.commitIndex()).isEqualTo(l.lastIndex());
            Drive.tick(l, 3); // the round is old enough to be judged
        }
        assertThat(l.heavyLoss()).as("still wide").isTrue();
    }

    @Test
    void aFirstElectionTimeoutSetAfterStartDecidesWhenTheFirstCampaignComes() {
        RaftCore first = Drive.core(FANOUT, 5);
        first.setFirstElectionTimeout(21);
        assertThat(ticksUntilCampaign(first)).isEqualTo(21);

        RaftCore third = Drive.core(FANOUT, 5);
        third.setFirstElectionTimeout(41);
        assertThat(ticksUntilCampaign(third)).isEqualTo(41);

        RaftCore tooSoon = Drive.core(FANOUT, 5);
        tooSoon.setFirstElectionTimeout(3);
        assertThat(ticksUntilCampaign(tooSoon)).as("never before electionTicks").isEqualTo(20);
    }

    private static int ticksUntilCampaign(RaftCore c) {
        for (int t = 1; t <= 200; t++) {
            if (!Drive.tick(c, 1).sent(Message.VoteRequest.class).isEmpty()) return t;
        }
        throw new AssertionError("never campaigned");
    }
}
