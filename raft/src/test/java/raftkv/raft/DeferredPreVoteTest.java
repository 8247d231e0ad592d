package raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static raftkv.raft.Drive.config;
import static raftkv.raft.Drive.core;
import static raftkv.raft.Drive.step;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import raftkv.raft.Message.Heartbeat;
import raftkv.raft.Message.VoteRequest;
import raftkv.raft.Message.VoteResponse;

/**
 * A voter that refuses a pre-vote only because it still honours a leader says for how long, and
 * answers again when that promise runs out with the leader silent: after a leader dies, the next
 * election comes when the promises end, not a random election timeout after that.
 */
class DeferredPreVoteTest {
    private static final int NONE = RaftCore.NONE;
    private static final int ELECTION = config(1).electionTicks();

    /** Node 1 of three in term 2 hears leader 2, then {@code ticks} later gets node 3's pre-vote. */
    private static RaftCore voterAsked(int ticks, List<Message> sent) {
        RaftCore f = core(config(1), 3, new HardState(2, NONE, 0), List.of());
        Drive.flush(f);
        step(f, new Heartbeat(2, 1, 2, 0, 0));
        Drive.tick(f, ticks);
        sent.addAll(step(f, new VoteRequest(3, 1, 3, 0, 0, true, false)).all());
        return f;
    }

    @Test
    void aVoterInItsLeaseRefusesAndTellsHowLongItsPromiseRuns() {
        List<Message> sent = new java.util.ArrayList<>();
        voterAsked(3, sent);
        assertThat(sent).singleElement().isEqualTo(new VoteResponse(1, 3, 2, false, true, ELECTION - 3, 2));
    }

    @Test
    void whenThePromiseRunsOutWithTheLeaderSilentTheRefusedPreVoteIsGranted() {
        RaftCore f = voterAsked(3, new java.util.ArrayList<>());
        assertThat(Drive.tick(f, ELECTION - 4).sent(VoteResponse.class)).as("still promised").isEmpty();
        assertThat(Drive.tick(f, 1).sent(VoteResponse.class)).singleElement()
                .isEqualTo(new VoteResponse(1, 3, 3, true, true));
        assertThat(f.term()).as("a pre-vote changes no term").isEqualTo(2);
        assertThat(Drive.tick(f, 3).sent(VoteResponse.class)).as("answered once").isEmpty();
    }

    @Test
    void aVoterThatHearsTheLeaderAgainSendsNothingMore() {
        RaftCore f = voterAsked(3, new java.util.ArrayList<>());
        Drive.tick(f, 3);
        step(f, new Heartbeat(2, 1, 2, 0, 0));
        assertThat(Drive.tick(f, 3 * ELECTION).sent(VoteResponse.class)).isEmpty();
    }

    @Test
    void aLeaderAnswersAPreVoteWithAHeartbeatWhichThePreCandidateFollows() {
        // The pre-candidate only missed the leader's messages: it follows the leader again at once,
        // instead of campaigning on (and resending) until the leader's next heartbeat.
        RaftCore l = core(config(1), 3);
        Drive.elect(l, 2);
        RaftCore p = core(config(3), 3, new HardState(l.term(), NONE, 0), List.of());
        VoteRequest ask = Drive.timeOut(p).sent(VoteRequest.class, 1).get(0);
        assertThat(ask.preVote()).isTrue();
        Drive.Out out = step(l, ask);
        assertThat(out.sent(VoteResponse.class)).isEmpty();
        Heartbeat hb = out.sent(Heartbeat.class, 3).get(0);
        step(p, hb);
        assertThat(p.role()).isEqualTo(Role.FOLLOWER);
        assertThat(p.leader()).isEqualTo(1);
        assertThat(p.term()).isEqualTo(l.term());
    }

    @Test
    void refusalsForALeaseAreNotALossAndTheLaterGrantsWin() {
        RaftCore c = core(config(1), 5, new HardState(2, NONE, 0), List.of());
        Drive.timeOut(c);
        for (int v = 2; v <= 5; v++) step(c, new VoteResponse(v, 1, 2, false, true, 4));
        assertThat(c.role()).isEqualTo(Role.PRE_CANDIDATE);
        Drive.tick(c, 4);
        step(c, new VoteResponse(2, 1, 3, true, true));
        Drive.Out real = step(c, new VoteResponse(3, 1, 3, true, true));
        assertThat(c.role()).isEqualTo(Role.CANDIDATE);
        assertThat(real.sent(VoteRequest.class)).hasSize(4).noneMatch(VoteRequest::preVote);
    }

    @Test
    void silentVotersAreNotAskedAgainWhileOthersArePromisedToALeader() {
        // They heard the same leader, most likely: asked again now, they too would only refuse.
        RaftConfig cfg = config(1).withRetransmitTicks(2);
        RaftCore c = core(cfg, 5, new HardState(2, NONE, 0), List.of());
        Drive.timeOut(c);
        step(c, new VoteResponse(2, 1, 2, false, true, 6));
        step(c, new VoteResponse(3, 1, 2, false, true, 6));
        assertThat(Drive.tick(c, 5).sent(VoteRequest.class)).isEmpty();
        assertThat(Drive.tick(c, 3).sent(VoteRequest.class)).extracting(Message::to).containsOnly(4, 5);
    }

    @Test
    void afterTheLeaderDiesTheNextOneIsElectedWhenThePromisesRunOut() {
        // Node x loses touch with the leader shortly before it dies, and campaigns while the others
        // still honour it: refused, it used to wait a whole election timeout more.
        for (long seed = 1; seed <= 20; seed++) {
            TestCluster c = new TestCluster(5, id -> RaftConfig.defaults(id).withElectionTicks(10, 2)
                    .withLeaseReads(true), seed);
            int l = c.electLeader();
            int x = l % 5 + 1;
            c.partition(Set.of(x));
            c.tickAll(9);
            c.crash(l);
            c.heal();
            int ticks = 0;
            while (c.leader() == NONE && ticks < 100) {
                c.tickAll(1);
                ticks++;
            }
            assertThat(ticks).as("seed %d: ticks from the crash to a new leader", seed).isLessThanOrEqualTo(12);
        }
    }
}
