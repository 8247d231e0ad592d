package raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;

/**
 * The loss estimate alone, on a hand-moved clock, fed heartbeats answered or not: which silences
 * count as loss. Election timeout 20 ticks: a miss counts at once only for a follower heard from
 * within the last 5; a longer silence's misses wait until the follower answers again.
 */
class FanoutPolicyTest {
    private static final List<Integer> FOLLOWERS = List.of(2, 3, 4, 5);
    private final NodeState s = new NodeState(RaftConfig.defaults(1).withElectionTicks(20, 5).withQuorumFanout(true),
            RandomGeneratorFactory.of("L64X128MixRandom").create(1), new RaftLog(0, 0, List.of(), 0),
            Configuration.ofVoters(java.util.Set.of(1, 2, 3, 4, 5)));
    /** Everyone last heard long ago: no miss counts at once at first. */
    private final Map<Integer, Long> lastHeard = new HashMap<>(Map.of(2, -10L, 3, -10L, 4, -10L, 5, -10L));
    private final FanoutPolicy policy = new FanoutPolicy(s, peer -> 0, lastHeard::get);

    /** One heartbeat interval (5 ticks) later: the followers {@code answers} accepts answered theirs. */
    private void heartbeat(IntPredicate answers) {
        s.ticks += 5;
        for (int p : FOLLOWERS) {
            if (answers.test(p)) lastHeard.put(p, s.ticks);
            policy.heartbeat(p, answers.test(p));
        }
    }

    @Test
    void followersBackFromASilenceLongerThanAnElectionTimeoutAreNoSignOfLoss() {
        for (int i = 0; i < 12; i++) heartbeat(p -> p == 2); // 3, 4 and 5 cut off for 60 ticks
        heartbeat(p -> true); // healed: had their long silence's misses counted, rounds would widen
        assertThat(policy.wide()).isFalse();
    }

    @Test
    void followersSilentForAFewHeartbeatsAtATimeAreLoss() {
        // Each answers every third heartbeat: under heavy loss a live follower is silent that way.
        for (int i = 0; i < 12; i++) {
            int step = i;
            heartbeat(p -> (step + p) % 3 == 0);
        }
        assertThat(policy.wide()).isTrue();
    }

    @Test
    void wideRoundsGoToEveryFollowerHeardLatelyAndAtLeastOneMoreThanAQuorumsWorth() {
        assertThat(policy.width(2, 1, 4)).as("narrow: a quorum's worth").isEqualTo(2);
        for (int i = 0; i < 12; i++) {
            int step = i;
            heartbeat(p -> (step + p) % 3 == 0);
        }
        assertThat(policy.wide()).isTrue();
        assertThat(policy.width(2, 4, 4)).as("every follower heard lately").isEqualTo(4);
        assertThat(policy.width(2, 2, 4)).as("a spare among those that may still answer").isEqualTo(3);
        assertThat(policy.width(2, 2, 2)).as("no spare that may answer: none").isEqualTo(2);
    }
}
