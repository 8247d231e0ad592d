package raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static raftkv.raft.Drive.config;
import static raftkv.raft.Drive.core;
import static raftkv.raft.Drive.log;
import static raftkv.raft.Drive.step;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import raftkv.raft.Message.AppendRequest;
import raftkv.raft.Message.AppendResponse;
import raftkv.raft.Message.Heartbeat;

/** Log replication (§5.3): the AppendEntries receiver rules of Figure 2 and the leader's pipeline. */
class ReplicationTest {
    private static final int NONE = RaftCore.NONE;

    private static AppendRequest append(long term, long prevIndex, long prevTerm, List<Entry> entries, long commit) {
        return new AppendRequest(2, 1, term, prevIndex, prevTerm, entries, commit);
    }

    private static Entry entry(long index, long term) {
        return new Entry(index, term, Drive.bytes("n" + index + "t" + term));
    }

    static String id(Entry e) {
        return e.index() + "@" + e.term();
    }

    private static AppendResponse response(Drive.Out out) {
        assertThat(out.sent(AppendResponse.class)).hasSize(1);
        return out.sent(AppendResponse.class).getFirst();
    }

    // ------------------------------------------------------------------ follower side

    @Test
    void logMatchingAppendEntriesChecksPrevIndexAndPrevTerm() { // §5.3, Figure 2 AppendEntries step 2
        RaftCore f = core(config(1), 3, new HardState(3, NONE, 0), log(1, 1, 2));
        Drive.flush(f);

        AppendResponse missing = response(step(f, append(3, 5, 2, List.of(entry(6, 3)), 0)));
        assertThat(missing.success()).isFalse();
        assertThat(missing.index()).isEqualTo(5);
        assertThat(missing.conflictTerm()).as("no entry at prevIndex").isZero();
        assertThat(missing.conflictIndex()).as("our last index + 1").isEqualTo(4);

        AppendResponse wrongTerm = response(step(f, append(3, 3, 3, List.of(entry(4, 3)), 0)));
        assertThat(wrongTerm.success()).isFalse();
        assertThat(wrongTerm.conflictTerm()).as("our term at prevIndex").isEqualTo(2);
        assertThat(wrongTerm.conflictIndex()).as("first index of that term").isEqualTo(3);
        assertThat(f.lastIndex()).as("a rejected append changes nothing").isEqualTo(3);

        AppendResponse ok = response(step(f, append(3, 3, 2, List.of(entry(4, 3)), 0)));
        assertThat(ok.success()).isTrue();
        assertThat(ok.index()).isEqualTo(4);
        assertThat(Drive.terms(f, 1)).containsExactly(1L, 1L, 2L, 3L);
    }

    @Test
    void aFollowerTruncatesAConflictingSuffixAndAppends() { // §5.3, Figure 2 AppendEntries steps 3-4
        RaftCore f = core(config(1), 3, new HardState(2, NONE, 1), log(1, 1, 2, 2, 2));
        Drive.flush(f);
        Drive.Out out = step(f, append(3, 2, 1, List.of(entry(3, 3)), 1));
        assertThat(response(out).success()).isTrue();
        assertThat(response(out).index()).isEqualTo(3);
        assertThat(Drive.terms(f, 1)).containsExactly(1L, 1L, 3L);
        assertThat(out.entries()).as("the new suffix goes to storage, replacing the old")
                .extracting(ReplicationTest::id).containsExactly("3@3");
    }

    @Test
    void aFollowerKeepsItsEntriesWhenAnOldMatchingAppendArrivesLate() { // §5.3: truncate only on a conflict
        RaftCore f = core(config(1), 3, new HardState(1, NONE, 0), log(1, 1, 1));
        Drive.flush(f);
        List<Entry> mine = log(1, 1, 1);
        Drive.Out out = step(f, append(1, 1, 1, List.of(mine.get(1)), 0));
        assertThat(response(out).success()).isTrue();
        assertThat(response(out).index()).isEqualTo(2);
        assertThat(f.lastIndex()).isEqualTo(3);
        assertThat(out.entries()).isEmpty();
    }

    @Test
    void commitIndexIsTheMinimumOfLeaderCommitAndTheLastNewEntry() { // Figure 2 AppendEntries step 5
        RaftCore f = core(config(1), 3, new HardState(1, NONE, 0), log(1, 1, 1, 1, 1));
        Drive.flush(f);
        List<Entry> mine = log(1, 1, 1, 1, 1);
        // The leader has committed 5, but this append only vouches for the log up to index 2.
        step(f, append(1, 1, 1, List.of(mine.get(1)), 5));
        assertThat(f.commitIndex()).isEqualTo(2);
        // A heartbeat never commits past what the follower holds.
        step(f, new Heartbeat(2, 1, 1, 9, 0));
        assertThat(f.commitIndex()).isEqualTo(5);
    }

    @Test
    void anAppendIsAcknowledgedOnlyAfterItsEntriesArePersisted() {
        RaftCore f = core(config(1), 3, new HardState(1, NONE, 0), List.of());
        Drive.flush(f);
        f.step(append(1, 0, 0, List.of(entry(1, 1)), 0));
        Ready rd = f.ready();
        assertThat(rd.entries()).extracting(ReplicationTest::id).containsExactly("1@1");
        assertThat(rd.messages()).noneMatch(m -> m instanceof AppendResponse);
        assertThat(rd.messagesAfterPersist()).singleElement().isInstanceOf(AppendResponse.class);
        f.advance(rd);
    }

    @Test
    void appliedEntriesAreCommittedAndPersistedOnly() {
        RaftCore f = core(config(1), 3, new HardState(1, NONE, 0), List.of());
        Drive.flush(f);
        f.step(append(1, 0, 0, List.of(entry(1, 1), entry(2, 1)), 2));
        Ready rd = f.ready();
        assertThat(rd.committed()).as("committed, but not yet on our disk: not applied yet").isEmpty();
        f.advance(rd);
        assertThat(Drive.flush(f).committed()).extracting(ReplicationTest::id).containsExactly("1@1", "2@1");
    }

    // ------------------------------------------------------------------ leader side

    /** A 3-node leader whose followers acknowledged its no-op (so they are in replicate mode). */
    private static RaftCore steadyLeader(RaftConfig cfg) {
        RaftCore l = core(cfg, 3);
        Drive.Out won = Drive.elect(l, 2);
        Drive.ackAll(l, won, 2);
        Drive.ackAll(l, won, 3);
        assertThat(l.commitIndex()).isEqualTo(1);
        return l;
    }

    @Test
    void aLeaderCommitsAnEntryOnceAMajorityIncludingPossiblyItselfHasPersistedIt() { // §5.3
        RaftCore l = steadyLeader(config(1));
        l.propose(Drive.bytes("x"));
        Ready rd = l.ready();
        assertThat(rd.entries()).hasSize(1);
        l.step(new AppendResponse(2, 1, 1, true, 2, 0, 0));
        assertThat(l.commitIndex()).as("one follower has it, the leader's own write is not durable yet").isEqualTo(1);
        l.advance(rd);
        assertThat(l.commitIndex()).isEqualTo(2);
        assertThat(Drive.flush(l).committed()).extracting(Entry::index).containsExactly(2L);
    }

    @Test
    void severalProposalsInOneReadyGoOutInOneAppendPerFollower() {
        RaftCore l = steadyLeader(config(1));
        for (int i = 0; i < 5; i++) l.propose(Drive.bytes("p" + i));
        l.propose(List.of(Drive.bytes("q1"), Drive.bytes("q2")));
        Drive.Out out = Drive.flush(l);
        assertThat(out.readies()).hasSize(1);
        for (int peer : List.of(2, 3)) {
            assertThat(out.sent(AppendRequest.class, peer)).singleElement()
                    .satisfies(r -> assertThat(r.entries()).extracting(Entry::index).containsExactly(2L, 3L, 4L, 5L, 6L, 7L, 8L));
        }
        assertThat(out.entries()).hasSize(7);
    }

    @Test
    void noMoreThanMaxInflightAppendsAreUnansweredPerFollower() {
        // One entry per append (byte limit 1), at most 3 appends in flight.
        RaftCore l = steadyLeader(config(1).withLimits(3, 1, 1024));
        for (int i = 0; i < 10; i++) l.propose(Drive.bytes("p" + i));
        List<AppendRequest> outstanding = new ArrayList<>(Drive.flush(l).sent(AppendRequest.class, 2));
        assertThat(outstanding).hasSize(3);
        long acked = 1;
        while (!outstanding.isEmpty()) {
            AppendRequest oldest = outstanding.removeFirst();
            acked = oldest.lastIndex();
            outstanding.addAll(step(l, new AppendResponse(2, 1, 1, true, acked, 0, 0)).sent(AppendRequest.class, 2));
            assertThat(outstanding).hasSizeLessThanOrEqualTo(3);
        }
        assertThat(acked).isEqualTo(11);
    }

    @Test
    void aLateOrDuplicatedRejectionDoesNotSetTheFollowerBack() {
        RaftCore l = steadyLeader(config(1));
        l.propose(Drive.bytes("a"));
        Drive.ackAll(l, Drive.flush(l), 2);
        assertThat(l.status().matchIndex()).containsEntry(2, 2L);
        // A rejection of an append before the match point (reordered, or duplicated by the network).
        Drive.Out out = step(l, new AppendResponse(2, 1, 1, false, 1, 1, 1));
        assertThat(out.sent(AppendRequest.class, 2)).isEmpty();
        assertThat(l.status().matchIndex()).containsEntry(2, 2L);
        l.propose(Drive.bytes("b"));
        assertThat(Drive.flush(l).sent(AppendRequest.class, 2)).as("still pipelining from the match point")
                .singleElement().satisfies(r -> assertThat(r.prevIndex()).isEqualTo(2));
    }

    @Test
    void aLeaderNeverRewritesItsOwnLog() { // Leader Append-Only, Figure 3
        RaftCore l = steadyLeader(config(1));
        l.propose(Drive.bytes("a"));
        Drive.flush(l);
        List<Long> before = Drive.terms(l, 1);
        // Whatever a confused follower answers, the leader's log only grows.
        step(l, new AppendResponse(2, 1, 1, false, 2, 1, 0));
        step(l, new AppendResponse(3, 1, 1, false, 2, 2, 7));
        assertThat(Drive.terms(l, 1)).isEqualTo(before);
    }

    @Test
    void aFollowerInProbeModeGetsOneAppendAtATime() {
        RaftCore l = core(config(1), 3);
        Drive.Out won = Drive.elect(l, 2);
        assertThat(won.sent(AppendRequest.class, 2)).hasSize(1);
        for (int i = 0; i < 5; i++) l.propose(Drive.bytes("p" + i));
        assertThat(Drive.flush(l).sent(AppendRequest.class, 2)).as("wait for the probe's answer").isEmpty();
    }

    /** Runs a leader against one follower; returns how many appends the follower rejected. */
    private static long repair(long[] leaderLog, long[] followerLog) {
        long leaderTerm = leaderLog[leaderLog.length - 1];
        RaftCore l = core(config(1), 3, new HardState(leaderTerm, NONE, 1), log(leaderLog));
        RaftCore f = core(config(3), 3, new HardState(leaderTerm, NONE, 1), log(followerLog));
        Drive.Out won = Drive.elect(l, 2);
        List<Message> delivered = Drive.exchange(Drive.group(l, f), won.all());
        assertThat(Drive.terms(f, 1)).as("the follower's log now equals the leader's").isEqualTo(Drive.terms(l, 1));
        assertThat(l.commitIndex()).isEqualTo(l.lastIndex());
        // The follower learns the commit index from the next heartbeat (the first tick skips it: it was busy).
        Drive.exchange(Drive.group(l, f), Drive.tick(l, 2).all());
        assertThat(f.commitIndex()).isEqualTo(l.lastIndex());
        return delivered.stream().filter(m -> m instanceof AppendResponse r && !r.success()).count();
    }

    private static long[] terms(long... runs) { // pairs (term, count)
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < runs.length; i += 2) for (int k = 0; k < runs[i + 1]; k++) out.add(runs[i]);
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    @Test
    void fastBacktrackingRepairsALongDivergentSuffixInFewRoundTrips() { // §5.3 optimization
        // The follower's 40 entries of term 2 are unknown to the leader: skipped in one step.
        assertThat(repair(terms(1, 1, 3, 30), terms(1, 1, 2, 40))).isLessThanOrEqualTo(1);
        // The leader holds the follower's conflicting term: it resumes after its own last entry of it.
        assertThat(repair(terms(1, 1, 2, 10, 3, 20), terms(1, 1, 2, 30))).isLessThanOrEqualTo(1);
        // A follower shorter than the leader, with three divergent terms: one round trip to find its
        // end, then one per divergent term (3), where one per entry would take 30.
        assertThat(repair(terms(1, 1, 2, 5, 5, 30), terms(1, 1, 2, 10, 3, 10, 4, 10))).isLessThanOrEqualTo(4);
        // A short follower: the first rejection says where its log ends.
        assertThat(repair(terms(1, 1, 3, 30), terms(1, 1))).isLessThanOrEqualTo(1);
    }

    @Test
    void heartbeatsGoOnlyToFollowersThatGotNoAppendSinceTheLastHeartbeat() {
        RaftCore l = steadyLeader(config(1).withElectionTicks(10, 1));
        l.propose(Drive.bytes("x"));
        assertThat(Drive.flush(l).sent(AppendRequest.class)).hasSize(2);
        assertThat(Drive.tick(l, 1).sent(Heartbeat.class)).as("the append just did a heartbeat's job").isEmpty();
        assertThat(Drive.tick(l, 1).sent(Heartbeat.class)).extracting(Heartbeat::to).containsExactlyInAnyOrder(2, 3);
    }

    @Test
    void aLostAppendIsRecoveredThroughTheHeartbeatResponse() {
        RaftConfig cfg = config(1).withElectionTicks(10, 1);
        RaftCore l = core(cfg, 3);
        RaftCore f = core(config(2), 3);
        Map<Integer, RaftCore> g = Drive.group(l, f);
        Drive.exchange(g, Drive.elect(l, 2).all());
        assertThat(f.lastIndex()).isEqualTo(1);
        l.propose(Drive.bytes("lost"));
        l.propose(Drive.bytes("lost too"));
        Drive.flush(l); // the append to f is lost
        l.propose(Drive.bytes("found"));
        List<Message> first = Drive.flush(l).sent(AppendRequest.class, 2).stream().map(m -> (Message) m).toList();
        Drive.exchange(g, first); // arrives after a gap: rejected, and the leader backs up
        Drive.exchange(g, Drive.tick(l, 2).all());
        assertThat(f.lastIndex()).isEqualTo(4);
        assertThat(l.status().matchIndex()).containsEntry(2, 4L);

        // Losing every append while the pipeline is full is recovered by heartbeats alone.
        for (int i = 0; i < 5; i++) {
            l.propose(Drive.bytes("x" + i));
            Drive.flush(l);
        }
        for (int i = 0; i < 5; i++) Drive.exchange(g, Drive.tick(l, 1).all());
        assertThat(f.lastIndex()).isEqualTo(9);
        assertThat(f.commitIndex()).isEqualTo(9);
    }
}
