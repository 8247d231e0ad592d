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
import raftkv.raft.Message.Heartbeat;
import raftkv.raft.Message.HeartbeatResponse;

/**
 * A narrow leader of five (the course replica's timing: 10 ms ticks, retries after 20) whose
 * commit stalls probes: from its second stalled retry on it offers the entries to every follower
 * that lacks them, and says so ({@link RaftCore#probingFollowers()}) so that the transport sends
 * each directly. The transport here is the course replica's: while the leader does not probe, a
 * message to two followers is a relay chain, and through a cut-off follower neither answer comes
 * back; while it probes, every follower it can reach answers.
 */
class StalledCommitProbeTest {
    private static final RaftConfig CFG = RaftConfig.defaults(1).withElectionTicks(120, 100).withQuorumFanout(true)
            .withRetransmitTicks(20).withLeaseReads(true);

    /**
     * Followers {@code cutA} and {@code cutB} are cut off at tick 300 and one write comes after
     * (the course's clients forget the leader at a partition). With pairs alone it committed
     * within 100 ticks (SilentPairsTest), 151 before them; probing, within the second stalled
     * retry: the stall (20 ticks), a retry to a new pairing, one more retry wait.
     */
    @ParameterizedTest
    @CsvSource({"3,5", "2,4", "4,5", "2,3", "2,5", "3,4"})
    void aLeaderCutOffFromTwoFollowersCommitsAtItsSecondStalledRetryAtTheLatest(int cutA, int cutB) {
        Run run = new Run(Set.of(cutA, cutB), Set.of());
        assertThat(run.ticksUntilTheWriteAfterTheCutCommits()).isLessThanOrEqualTo(41);
    }

    @Test
    void theLeaderProbesOnlyFromItsSecondStalledRetryAndStopsOnceSomethingCommits() {
        Run run = new Run(Set.of(3, 5), Set.of()); // its first round and a retry to a new pairing hold a cut follower
        assertThat(run.ticksUntilTheWriteAfterTheCutCommits()).isLessThanOrEqualTo(41);
        assertThat(run.probingSeen).as("probed at some tick").isTrue();
        assertThat(run.firstProbeTick - 300).as("not before the stall and one retry").isGreaterThan(20);
        assertThat(run.leader.probingFollowers()).as("committed: no longer probing").isFalse();
    }

    /** A round lost by chance, then answered at its first retry: no probe (a pair costs less). */
    @Test
    void aRoundLostByChanceAndAnsweredAtItsRetryIsNotProbed() {
        Run run = new Run(Set.of(), Set.of(301)); // the write's round is lost whole
        assertThat(run.ticksUntilTheWriteAfterTheCutCommits()).as("committed at the first retry").isBetween(20, 21);
        assertThat(run.probingSeen).isFalse();
    }

    /**
     * A leader whose no-op committed hears nothing more (a partition came): at three quarters of a
     * check-quorum period it heartbeats every follower not heard, and probes (so that those
     * heartbeats go directly, not chained with a cut-off partner) until a quorum answers.
     */
    @Test
    void checkQuorumNearingWithNoQuorumHeardIsProbedUntilAQuorumAnswers() {
        RaftCore l = Drive.core(CFG, 5);
        Drive.answerAll(l, Drive.elect(l, 2, 3, 4, 5).all());
        assertThat(l.status().commitIndex()).isEqualTo(l.status().lastIndex());
        List<Message> probes = List.of();
        for (int tick = 0; tick < 2 * CFG.electionTicks() && !l.probingFollowers(); tick++) probes = Drive.tick(l, 1).all();
        assertThat(l.probingFollowers()).isTrue();
        assertThat(l.role()).isEqualTo(Role.LEADER);
        assertThat(probes).filteredOn(m -> m instanceof Heartbeat).extracting(Message::to).containsExactlyInAnyOrder(2, 3, 4, 5);
        l.step(new HeartbeatResponse(2, 1, l.term(), 0));
        assertThat(l.probingFollowers()).as("one of two answers").isTrue();
        l.step(new HeartbeatResponse(3, 1, l.term(), 0));
        assertThat(l.probingFollowers()).as("a quorum heard").isFalse();
    }

    /** A leader of five driven tick by tick; a write every 12 ticks until tick 300, one at 300. */
    private static final class Run {
        final RaftCore leader = Drive.core(CFG, 5);
        final Set<Integer> cutAt300;
        final Set<Integer> lossTicks;
        boolean probingSeen;
        long firstProbeTick = -1;

        Run(Set<Integer> cutAt300, Set<Integer> lossTicks) {
            this.cutAt300 = cutAt300;
            this.lossTicks = lossTicks;
        }

        int ticksUntilTheWriteAfterTheCutCommits() {
            List<Message> inFlight = new ArrayList<>(Drive.elect(leader, 2, 3, 4, 5).all());
            boolean direct = false;
            Set<Integer> cut = Set.of();
            long written = -1;
            for (int tick = 0; tick < 300 + 2 * 120; tick++) {
                if (tick == 300) cut = cutAt300;
                Set<Integer> to = new TreeSet<>();
                for (Message m : inFlight) if (m instanceof AppendRequest || m instanceof Heartbeat) to.add(m.to());
                boolean chainBroken = !direct && to.size() == 2 && to.stream().anyMatch(cut::contains)
                        || lossTicks.contains(tick);
                Set<Integer> cutNow = cut;
                Drive.answerOnce(leader, inFlight, m -> !chainBroken && !cutNow.contains(m.to()));
                List<Message> next = new ArrayList<>(Drive.flush(leader).all());
                if (tick < 300 ? tick % 12 == 0 : written < 0) {
                    leader.propose(Drive.bytes("x" + tick));
                    if (tick >= 300) written = leader.status().lastIndex();
                    next.addAll(Drive.flush(leader).all());
                }
                next.addAll(Drive.tick(leader, 1).all());
                direct = leader.probingFollowers(); // what the transport sees as it sends them
                if (direct && !probingSeen) {
                    probingSeen = true;
                    firstProbeTick = tick;
                }
                inFlight = next;
                assertThat(leader.role()).isEqualTo(Role.LEADER);
                if (written > 0 && leader.status().commitIndex() >= written) return tick - 300;
            }
            return Integer.MAX_VALUE;
        }
    }
}
