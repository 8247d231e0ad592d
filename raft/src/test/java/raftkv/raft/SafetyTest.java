package raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static raftkv.raft.Drive.core;
import static raftkv.raft.Drive.log;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import raftkv.raft.Message.AppendRequest;

/** The safety argument of §5.4: the commitment rule, leader completeness and state machine safety. */
class SafetyTest {
    private static final int NONE = RaftCore.NONE;

    /** One entry per append, no pre-vote or check-quorum: the paper's plain algorithm. */
    private static RaftConfig plain(int id) {
        return RaftConfig.defaults(id).withPreVote(false).withCheckQuorum(false).withLimits(64, 1, 1024);
    }

    /**
     * Figure 8 (c): S1 led term 2 and got its entry 2 to S2; S5 led term 3 and wrote its own entry 2
     * nowhere else; now S1 wins term 4 and copies its entry 2 to S3. Index 2 (term 2) is then on a
     * majority {S1, S2, S3}.
     */
    private static Map<Integer, RaftCore> figure8c() {
        RaftCore s1 = core(plain(1), 5, new HardState(3, NONE, 1), log(1, 2));
        RaftCore s2 = core(plain(2), 5, new HardState(3, NONE, 1), log(1, 2));
        RaftCore s3 = core(plain(3), 5, new HardState(3, NONE, 1), log(1));
        RaftCore s4 = core(plain(4), 5, new HardState(3, NONE, 1), log(1));
        RaftCore s5 = core(plain(5), 5, new HardState(3, 5, 1), log(1, 3));
        Drive.Out won = Drive.elect(s1, 2, 3);
        assertThat(s1.term()).isEqualTo(4);
        // Only entries of earlier terms get through (S1 crashes before its term-4 no-op leaves it):
        // the appends to S2 and S3 lose their term-4 entries; S4 and S5 are unreachable.
        Drive.exchange(Drive.group(s1, s2, s3), won.all(), m -> m instanceof AppendRequest r
                ? new AppendRequest(r.from(), r.to(), r.term(), r.prevIndex(), r.prevTerm(),
                        r.entries().stream().filter(e -> e.term() < 4).toList(), r.commit())
                : m);
        assertThat(List.of(s1.termAt(2), s2.termAt(2), s3.termAt(2))).containsOnly(2L);
        return Drive.group(s1, s2, s3, s4, s5);
    }

    @Test
    void aLeaderNeverCommitsAnEntryOfAnEarlierTermByCountingReplicas() { // §5.4.2, Figure 8
        Map<Integer, RaftCore> s = figure8c();
        assertThat(s.get(1).status().matchIndex()).containsEntry(2, 2L).containsEntry(3, 2L);
        assertThat(s.get(1).commitIndex()).as("entry 2 of term 2 is on a majority, yet not committed").isEqualTo(1);

        // Figure 8 (d): that was right. S1 crashes, S5 wins term 5 with the votes of S2, S3, S4 (its
        // last term, 3, beats their 2) and replaces entry 2 everywhere.
        Map<Integer, RaftCore> rest = Drive.group(s.get(2), s.get(3), s.get(4), s.get(5));
        for (int i = 0; i < 100 && s.get(5).role() != Role.LEADER; i++) {
            Drive.exchange(rest, Drive.tick(s.get(5), 1).all());
        }
        assertThat(s.get(5).role()).isEqualTo(Role.LEADER);
        for (int id = 2; id <= 5; id++) assertThat(s.get(id).termAt(2)).as("S" + id).isEqualTo(3);
    }

    @Test
    void theFigure8ScenarioCatchesALeaderThatCommitsEarlierTermsByCounting() { // a test of the test above
        RaftCore s1 = core(plain(1), 5, new HardState(3, NONE, 1), log(1, 2));
        s1.injectBugs(Set.of(DeliberateBug.COMMIT_PREVIOUS_TERM_BY_COUNTING));
        RaftCore s2 = core(plain(2), 5, new HardState(3, NONE, 1), log(1, 2));
        RaftCore s3 = core(plain(3), 5, new HardState(3, NONE, 1), log(1));
        Drive.Out won = Drive.elect(s1, 2, 3);
        Drive.exchange(Drive.group(s1, s2, s3), won.all(), m -> m instanceof AppendRequest r
                ? new AppendRequest(r.from(), r.to(), r.term(), r.prevIndex(), r.prevTerm(),
                        r.entries().stream().filter(e -> e.term() < 4).toList(), r.commit())
                : m);
        assertThat(s1.commitIndex()).as("the buggy leader commits entry 2, which S5 could still overwrite").isEqualTo(2);
    }

    @Test
    void anEntryOfAnEarlierTermIsCommittedWithTheFirstEntryOfTheLeadersTerm() { // §5.4.2, Figure 8 (e)
        Map<Integer, RaftCore> s = figure8c();
        RaftCore s1 = s.get(1);
        s1.propose(Drive.bytes("x"));
        Drive.exchange(Drive.group(s1, s.get(2), s.get(3)), List.of());
        assertThat(s1.commitIndex()).as("the no-op of term 4 and the proposal commit, and entry 2 with them")
                .isEqualTo(4);
        // Now S5 can never win: S2 and S3 hold a newer last term than it.
        Map<Integer, RaftCore> rest = Drive.group(s.get(2), s.get(3), s.get(4), s.get(5));
        for (int i = 0; i < 200; i++) Drive.exchange(rest, Drive.tick(s.get(5), 1).all());
        assertThat(s.get(5).role()).isNotEqualTo(Role.LEADER);
    }

    @Test
    void leaderCompletenessACandidateMissingACommittedEntryCannotWin() { // §5.4.1
        TestCluster c = new TestCluster(3);
        int l = c.electLeader();
        int behind = l % 3 + 1;
        int other = 6 - l - behind;
        c.partition(Set.of(behind));
        c.propose(l, "committed");
        assertThat(c.appliedCommands(l)).containsExactly("committed");
        c.crash(l);
        c.heal();
        // The node without the entry times out first, but only the other one can win.
        for (int i = 0; i < 40; i++) c.tick(behind);
        int next = c.electLeader();
        assertThat(next).isEqualTo(other);
        c.tickAll(5);
        assertThat(c.appliedCommands(behind)).containsExactly("committed");
    }

    @Test
    void stateMachineSafetyNoTwoNodesApplyDifferentCommandsAtTheSameIndex() { // §5.4.3
        TestCluster c = new TestCluster(5);
        for (int round = 0; round < 6; round++) {
            int l = c.electLeader();
            c.propose(l, "r" + round + "-a");
            // The leader is cut off with one follower: what it proposes now can never commit.
            int buddy = l % 5 + 1;
            c.partition(Set.of(l, buddy));
            c.propose(l, "r" + round + "-lost");
            c.tickAll(40);
            c.heal();
            c.tickAll(20);
        }
        c.tickAll(20);
        List<String> reference = c.machine.get(1);
        for (int id = 2; id <= 5; id++) assertThat(c.machine.get(id)).isEqualTo(reference);
        assertThat(c.appliedCommands(1)).noneMatch(x -> x.contains("lost")).hasSize(6);
    }
}
