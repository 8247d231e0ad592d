package raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static raftkv.raft.Drive.core;
import static raftkv.raft.Drive.log;
import static raftkv.raft.Drive.step;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import raftkv.raft.Message.AppendRequest;
import raftkv.raft.Message.AppendResponse;
import raftkv.raft.Message.Heartbeat;
import raftkv.raft.Message.HeartbeatResponse;
import raftkv.raft.Message.VoteRequest;
import raftkv.raft.Message.VoteResponse;

/**
 * {@link RaftConfig#idleSlowdown()}: a leader without proposals or reads for an election timeout
 * heartbeats that many times less often, and checks its quorum over periods one time longer still;
 * a follower the transport tells so waits as long before campaigning.
 */
class IdleSlowdownTest {
    private static final int ELECTION = 20;
    private static final int HEARTBEAT = 5;
    private static final int SLOWDOWN = 3;
    private static final RaftConfig SLOWING = RaftConfig.defaults(1).withElectionTicks(ELECTION, HEARTBEAT)
            .withIdleSlowdown(SLOWDOWN);

    /** Node 1 leads three; 2 and 3 answer everything at once. */
    private static RaftCore leader(RaftConfig cfg) {
        RaftCore l = Drive.core(cfg, 3);
        answerAll(l, Drive.elect(l, 2, 3).all());
        return l;
    }

    private static void answerAll(RaftCore l, List<Message> sent) {
        Drive.answerAll(l, sent);
    }

    /** Ticks the leader {@code ticks} times, all answered; returns the ticks (from 1) at which follower 2 got a heartbeat. */
    private static List<Integer> heartbeatsToTwo(RaftCore l, int ticks) {
        List<Integer> at = new ArrayList<>();
        for (int t = 1; t <= ticks; t++) {
            List<Message> sent = Drive.tick(l, 1).all();
            if (sent.stream().anyMatch(m -> m instanceof Heartbeat && m.to() == 2)) at.add(t);
            answerAll(l, sent);
        }
        return at;
    }

    private static List<Integer> gaps(List<Integer> ticks) {
        List<Integer> out = new ArrayList<>();
        for (int i = 1; i < ticks.size(); i++) out.add(ticks.get(i) - ticks.get(i - 1));
        return out;
    }

    @Test
    void anIdleLeaderHeartbeatsThreeTimesLessOftenAndStaysLeader() {
        RaftCore l = leader(SLOWING);
        heartbeatsToTwo(l, 2 * ELECTION);
        assertThat(l.idle()).as("no proposal or read for an election timeout").isTrue();
        assertThat(gaps(heartbeatsToTwo(l, 10 * ELECTION))).isNotEmpty().containsOnly(HEARTBEAT * SLOWDOWN);
        assertThat(l.role()).as("its longer check-quorum periods each saw a quorum").isEqualTo(Role.LEADER);
    }

    @Test
    void theFirstHeartbeatAfterTheLeaderFallsIdleComesAtTheUsualIntervalToTellTheFollower() {
        RaftCore l = leader(SLOWING);
        List<Integer> at = heartbeatsToTwo(l, 6 * ELECTION); // ticks since winning
        List<Integer> gaps = gaps(at);
        assertThat(gaps).containsOnly(HEARTBEAT, HEARTBEAT * SLOWDOWN);
        int firstLong = gaps.indexOf(HEARTBEAT * SLOWDOWN);
        assertThat(at.get(firstLong)).as("the heartbeat before the first long gap left while idle: it told 2")
                .isGreaterThan(ELECTION);
        assertThat(gaps.get(firstLong - 1)).as("and came at the usual interval").isEqualTo(HEARTBEAT);
        assertThat(gaps.subList(firstLong, gaps.size())).containsOnly(HEARTBEAT * SLOWDOWN);
    }

    @Test
    void anIdleLeaderAskedForAPreVoteAnytimeInItsLongerPeriodAnswersWithAHeartbeatNotAGrant() {
        RaftCore l = leader(SLOWING);
        heartbeatsToTwo(l, 2 * ELECTION);
        for (int t = 1; t <= 2 * SLOWDOWN * ELECTION; t++) {
            answerAll(l, Drive.tick(l, 1).all());
            Drive.Out out = step(l, new VoteRequest(2, 1, l.term() + 1, l.lastIndex(), l.term(), true, false));
            assertThat(out.sent(VoteResponse.class)).as("tick %d", t).noneMatch(VoteResponse::granted);
            assertThat(out.sent(Heartbeat.class)).as("tick %d", t).extracting(Message::to).containsExactly(2);
            answerAll(l, out.all());
        }
        assertThat(l.role()).isEqualTo(Role.LEADER);
    }

    @Test
    void aProposalOrAReadMakesItBusyAgain() {
        RaftCore l = leader(SLOWING);
        heartbeatsToTwo(l, 3 * ELECTION);
        l.propose(Drive.bytes("x"));
        answerAll(l, Drive.flush(l).all());
        assertThat(l.idle()).isFalse();
        assertThat(gaps(heartbeatsToTwo(l, ELECTION))).isNotEmpty().containsOnly(HEARTBEAT);

        heartbeatsToTwo(l, 2 * ELECTION);
        assertThat(l.idle()).isTrue();
        l.readIndex(7);
        assertThat(l.idle()).isFalse();
    }

    @Test
    void withoutTheOptionAnIdleLeaderHeartbeatsAsOften() {
        RaftCore l = leader(RaftConfig.defaults(1).withElectionTicks(ELECTION, HEARTBEAT));
        heartbeatsToTwo(l, 2 * ELECTION);
        assertThat(l.idle()).isFalse();
        assertThat(gaps(heartbeatsToTwo(l, 4 * ELECTION))).isNotEmpty().containsOnly(HEARTBEAT);
    }

    @Test
    void afterAnIdleSpellAWideLeaderKeepsSendingRoundsToThreeFollowersThoughTheyGoUnanswered() {
        // Heartbeats 30 ticks apart while idle, longer than the 20-tick election timeout: when the
        // first writes come, no follower has been heard from within an election timeout.
        RaftConfig cfg = RaftConfig.defaults(1).withElectionTicks(ELECTION, 10).withQuorumFanout(true)
                .withIdleSlowdown(SLOWDOWN);
        RaftCore l = Drive.core(cfg, 5);
        l.hintMessageLoss(true);
        answerAll(l, Drive.elect(l, 2, 3, 4, 5).all());
        // Half the heartbeats are answered (2 and 3, then 4 and 5, ...): heavy loss, and no follower
        // leaves more than one message in a row unanswered.
        int lastHeartbeat = 0;
        boolean twoAndThree = true;
        for (int t = 1; t <= 8 * ELECTION; t++) {
            List<Message> sent = Drive.tick(l, 1).all();
            if (sent.stream().noneMatch(m -> m instanceof Heartbeat)) continue;
            lastHeartbeat = t;
            Set<Integer> answering = twoAndThree ? Set.of(2, 3) : Set.of(4, 5);
            twoAndThree = !twoAndThree;
            answerAll(l, sent.stream().filter(m -> answering.contains(m.to())).toList());
        }
        for (int t = 8 * ELECTION; t - lastHeartbeat < ELECTION + 5; t++) Drive.tick(l, 1); // then silence
        assertThat(l.idle()).isTrue();
        assertThat(l.heavyLoss()).as("still told of heavy loss").isTrue();

        // Writes come faster than a tick and every round is lost: each follower soon has four
        // messages in a row unanswered, but it was heard from in the idle spell just ended.
        for (int i = 0; i < 8; i++) {
            l.propose(Drive.bytes("w" + i));
            long index = l.lastIndex();
            List<Integer> to = Drive.flush(l).sent(AppendRequest.class).stream()
                    .filter(r -> r.lastIndex() >= index).map(Message::to).toList();
            assertThat(to).as("round %d: a star, not a chain", i).hasSizeGreaterThanOrEqualTo(3);
        }
    }

    /** Node 1 of five in term 2, following leader 2 after one heartbeat. */
    private static RaftCore follower() {
        RaftCore f = core(SLOWING, 5, new HardState(2, RaftCore.NONE, 0), log(1, 2, 2));
        Drive.flush(f);
        step(f, new Heartbeat(2, 1, 2, 0, 0));
        return f;
    }

    /** Ticks until the follower asks for a vote. */
    private static int ticksUntilCampaign(RaftCore f) {
        for (int t = 1; t <= 4 * (SLOWDOWN + 1) * ELECTION; t++) {
            if (!Drive.tick(f, 1).sent(VoteRequest.class).isEmpty()) return t;
        }
        throw new AssertionError("never campaigned");
    }

    @Test
    void aFollowerToldItsLeaderIsIdleWaitsFourTimesLongerBeforeCampaigning() {
        assertThat(ticksUntilCampaign(follower())).as("untold: within two election timeouts").isLessThan(2 * ELECTION);
        RaftCore told = follower();
        told.hintLeaderIdle(true);
        assertThat(ticksUntilCampaign(told)).as("one time more than its heartbeats are sparser")
                .isBetween((SLOWDOWN + 1) * ELECTION, 2 * (SLOWDOWN + 1) * ELECTION);
    }

    @Test
    void theHintIsForgottenWithTheTermItWasGivenIn() {
        RaftCore f = follower();
        f.hintLeaderIdle(true);
        step(f, new Heartbeat(3, 1, 3, 0, 0)); // node 3 leads term 3
        assertThat(ticksUntilCampaign(f)).isLessThan(2 * ELECTION);
    }
}
