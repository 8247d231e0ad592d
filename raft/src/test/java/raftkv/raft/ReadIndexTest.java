package raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static raftkv.raft.Drive.config;
import static raftkv.raft.Drive.core;
import static raftkv.raft.Drive.log;
import static raftkv.raft.Drive.step;

import java.util.List;
import org.junit.jupiter.api.Test;
import raftkv.raft.Message.Heartbeat;
import raftkv.raft.Message.HeartbeatResponse;

/** Linearizable reads through ReadIndex (Raft thesis §6.4). */
class ReadIndexTest {
    private static final int NONE = RaftCore.NONE;

    /** A 5-node leader of term 1 whose no-op (index 1) is committed. */
    private static RaftCore leader() {
        RaftCore l = core(config(1), 5);
        Drive.Out won = Drive.elect(l, 2, 3);
        Drive.ackAll(l, won, 2);
        Drive.ackAll(l, won, 3);
        assertThat(l.commitIndex()).isEqualTo(1);
        return l;
    }

    private static long round(Drive.Out out) {
        List<Heartbeat> hb = out.sent(Heartbeat.class);
        assertThat(hb).extracting(Heartbeat::to).containsExactlyInAnyOrder(2, 3, 4, 5);
        assertThat(hb).extracting(Heartbeat::round).containsOnly(hb.getFirst().round());
        return hb.getFirst().round();
    }

    private static Drive.Out ack(RaftCore l, int from, long round) {
        return step(l, new HeartbeatResponse(from, 1, l.term(), round));
    }

    @Test
    void aReadIsConfirmedOnlyAfterAQuorumRound() {
        RaftCore l = leader();
        assertThat(l.readIndex(7)).isInstanceOf(ProposeResult.Accepted.class);
        Drive.Out out = Drive.flush(l);
        long r = round(out);
        assertThat(out.readStates()).isEmpty();
        assertThat(ack(l, 2, r).readStates()).as("the leader and one follower are not a majority of 5").isEmpty();
        assertThat(ack(l, 3, r).readStates()).containsExactly(new ReadState(7, 1));
        assertThat(ack(l, 4, r).readStates()).as("released once").isEmpty();
    }

    @Test
    void concurrentReadsShareOneRound() {
        RaftCore l = leader();
        l.readIndex(1);
        l.readIndex(2);
        l.readIndex(3);
        Drive.Out out = Drive.flush(l);
        long r = round(out); // one heartbeat per follower for all three reads
        ack(l, 5, r);
        assertThat(ack(l, 4, r).readStates()).containsExactly(new ReadState(1, 1), new ReadState(2, 1), new ReadState(3, 1));
    }

    @Test
    void aReadIsNotConfirmedByARoundThatStartedBeforeIt() {
        RaftCore l = leader();
        l.readIndex(1);
        long r1 = round(Drive.flush(l));
        l.propose(Drive.bytes("w"));
        Drive.Out proposed = Drive.flush(l);
        Drive.ackAll(l, proposed, 2);
        Drive.ackAll(l, proposed, 3);
        assertThat(l.commitIndex()).isEqualTo(2);
        l.readIndex(2);
        long r2 = round(Drive.flush(l));
        assertThat(r2).isGreaterThan(r1);
        ack(l, 2, r1);
        assertThat(ack(l, 3, r1).readStates()).as("only the first read").containsExactly(new ReadState(1, 1));
        ack(l, 2, r2);
        assertThat(ack(l, 3, r2).readStates()).as("at the commit index it arrived at").containsExactly(new ReadState(2, 2));
    }

    @Test
    void aNewLeaderServesNoReadUntilItHasCommittedAnEntryOfItsTerm() {
        // Entry 2 (term 1) may be committed by the old leader; the new leader does not know yet.
        RaftCore l = core(config(1), 3, new HardState(1, NONE, 1), log(1, 1));
        Drive.Out won = Drive.elect(l, 2);
        l.readIndex(9);
        Drive.Out early = Drive.flush(l);
        assertThat(early.sent(Heartbeat.class)).as("no confirmation round yet").isEmpty();
        for (Heartbeat h : Drive.tick(l, 1).sent(Heartbeat.class)) {
            assertThat(step(l, new HeartbeatResponse(h.to(), 1, l.term(), h.round())).readStates()).isEmpty();
        }
        Drive.Out committed = Drive.ackAll(l, won, 2);
        assertThat(l.commitIndex()).isEqualTo(3);
        List<Heartbeat> hb = committed.sent(Heartbeat.class);
        assertThat(hb).isNotEmpty();
        assertThat(step(l, new HeartbeatResponse(2, 1, l.term(), hb.getFirst().round())).readStates())
                .containsExactly(new ReadState(9, 3));
    }

    @Test
    void aDeposedLeadersPendingReadsAreReportedByTakeDroppedReads() {
        RaftCore l = leader();
        l.readIndex(1);
        Drive.flush(l); // read 1 waits for its round
        l.readIndex(2); // read 2 is not even in a round yet
        step(l, new Heartbeat(2, 1, l.term() + 1, 0, 0));
        assertThat(l.role()).isEqualTo(Role.FOLLOWER);
        assertThat(l.takeDroppedReads()).containsExactlyInAnyOrder(1L, 2L);
        assertThat(l.takeDroppedReads()).isEmpty();
        // A late confirmation of the old round releases nothing.
        assertThat(ack(l, 3, 1).readStates()).isEmpty();
    }

    @Test
    void onlyTheLeaderAcceptsReads() {
        RaftCore f = core(config(1), 3);
        Drive.flush(f);
        step(f, new Heartbeat(2, 1, 1, 0, 0));
        assertThat(f.readIndex(5)).isEqualTo(new ProposeResult.NotLeader(2));
        assertThat(f.takeDroppedReads()).isEmpty();
    }

    @Test
    void aSingleVoterConfirmsReadsAlone() {
        RaftCore l = core(config(1), 1);
        Drive.timeOut(l);
        Drive.flush(l);
        l.readIndex(4);
        assertThat(Drive.flush(l).readStates()).containsExactly(new ReadState(4, 1));
    }

    @Test
    void aReadIsServedAtLeastAtTheIndexOfEveryWriteCommittedBeforeIt() {
        TestCluster c = new TestCluster(3);
        int l = c.electLeader();
        for (int i = 0; i < 5; i++) c.propose(l, "w" + i);
        long committed = c.core(l).commitIndex();
        c.core(l).readIndex(1);
        c.deliverAll();
        assertThat(c.reads.get(l)).singleElement().satisfies(rs -> assertThat(rs.index()).isGreaterThanOrEqualTo(committed));
    }
}
