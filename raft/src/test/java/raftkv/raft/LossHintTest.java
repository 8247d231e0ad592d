package raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static raftkv.raft.Drive.config;
import static raftkv.raft.Drive.core;

import java.util.List;
import org.junit.jupiter.api.Test;
import raftkv.raft.Message.VoteRequest;

/** The transport's word on message loss tunes how hard the core tries, not what it does. */
class LossHintTest {
    private static final int NONE = RaftCore.NONE;

    /** Node 1 of five pre-campaigns and nobody answers; returns the vote requests of the next 12 ticks. */
    private static List<VoteRequest> resendsAfterSilentCampaign(Boolean heavy) {
        RaftCore c = core(config(1).withRetransmitTicks(2), 5, new HardState(2, NONE, 0), List.of());
        if (heavy != null) c.hintMessageLoss(heavy);
        Drive.timeOut(c);
        return Drive.tick(c, 12).sent(VoteRequest.class);
    }

    @Test
    void underLightLossASilentVoterIsAskedAgainOnlyOnce() {
        // Under light loss a voter silent after a resend is far likelier cut off: each further
        // resend to it is a message for nothing.
        assertThat(resendsAfterSilentCampaign(false)).hasSize(4);
    }

    @Test
    void underHeavyLossOrWithoutAWordSilentVotersAreAskedAgainTwice() {
        assertThat(resendsAfterSilentCampaign(true)).hasSize(2 * 4);
        assertThat(resendsAfterSilentCampaign(null)).hasSize(2 * 4);
    }

    @Test
    void aNewLeaderToldOfHeavyLossStartsWithItsRoundsWide() {
        RaftCore told = core(config(1).withQuorumFanout(true), 5);
        told.hintMessageLoss(true);
        Drive.elect(told, 2, 3);
        assertThat(told.heavyLoss()).isTrue();

        RaftCore untold = core(config(1).withQuorumFanout(true), 5);
        Drive.elect(untold, 2, 3);
        assertThat(untold.heavyLoss()).isFalse();
    }
}
