package raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import raftkv.raft.Message.AppendRequest;
import raftkv.raft.Message.AppendResponse;

/**
 * A narrow new leader's first rounds (quorum fan-out, the course replica's timing). It has heard
 * this term only from its voters; a follower that did not vote may have died with the previous
 * leader. In kept course runs, the clients' retries reached a new leader in a burst while its
 * no-op was still on its way to its voters, and the burst's round went to the two followers left,
 * one of them the killed leader: lost, it waited 60 ms for the retry (cs3700/REPLICA.md).
 */
class NewLeaderRoundsTest {
    private static RaftCore newLeaderOfFiveElectedBy2And3() {
        RaftConfig cfg = RaftConfig.defaults(1).withElectionTicks(120, 100).withQuorumFanout(true).withRetransmitTicks(20)
                .withLeaseReads(true);
        RaftCore leader = Drive.core(cfg, 5);
        List<AppendRequest> noop = Drive.elect(leader, 2, 3).sent(AppendRequest.class);
        assertThat(noop).extracting(AppendRequest::to).containsExactlyInAnyOrder(2, 3);
        return leader;
    }

    @Test
    void writesThatComeWhileItsVotersHaveTheNoOpWaitForThemInsteadOfGoingToFollowersNotHeardThisTerm() {
        RaftCore leader = newLeaderOfFiveElectedBy2And3();
        for (int i = 0; i < 5; i++) {
            leader.propose(Drive.bytes("burst" + i));
            assertThat(Drive.flush(leader).sent(AppendRequest.class)).isEmpty();
        }
        // The voters answer the no-op: the burst goes to them, and commits when they answer again.
        List<AppendRequest> burst = new java.util.ArrayList<>();
        for (int voter : List.of(2, 3)) {
            leader.step(new AppendResponse(voter, 1, leader.term(), true, 1, 0, 0));
            burst.addAll(Drive.flush(leader).sent(AppendRequest.class));
        }
        assertThat(burst).extracting(AppendRequest::to).containsExactlyInAnyOrder(2, 3);
        assertThat(burst).allSatisfy(r -> assertThat(r.lastIndex()).isEqualTo(leader.status().lastIndex()));
        for (AppendRequest r : burst) leader.step(new AppendResponse(r.to(), 1, r.term(), true, r.lastIndex(), 0, 0));
        Drive.flush(leader);
        assertThat(leader.status().commitIndex()).isEqualTo(leader.status().lastIndex());
    }

    @Test
    void aFollowerNotHeardThisTermIsOfferedNewEntriesOnceItAnswersAndTheOneStillUnheardIsNot() {
        RaftCore leader = newLeaderOfFiveElectedBy2And3();
        // Follower 4 answers a heartbeat: it is alive, is caught up, and answers that too.
        leader.step(new Message.HeartbeatResponse(4, 1, leader.term(), 0));
        List<AppendRequest> catchUp = Drive.flush(leader).sent(AppendRequest.class, 4);
        assertThat(catchUp).isNotEmpty();
        AppendRequest last = catchUp.getLast();
        leader.step(new AppendResponse(4, 1, leader.term(), true, last.lastIndex(), 0, 0));
        Drive.flush(leader);
        // The voters still have the no-op in flight: a write goes to 4, and not to 5.
        leader.propose(Drive.bytes("x"));
        assertThat(Drive.flush(leader).sent(AppendRequest.class)).extracting(AppendRequest::to).containsExactly(4);
    }

    @Test
    void aVoteThatCameAfterTheWinCountsAsHeard() {
        RaftCore leader = newLeaderOfFiveElectedBy2And3();
        leader.step(new Message.VoteResponse(4, 1, leader.term(), true, false));
        leader.propose(Drive.bytes("x"));
        assertThat(Drive.flush(leader).sent(AppendRequest.class)).extracting(AppendRequest::to).containsExactly(4);
    }
}
