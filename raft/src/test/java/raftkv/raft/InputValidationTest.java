package raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static raftkv.raft.Drive.config;
import static raftkv.raft.Drive.core;
import static raftkv.raft.Drive.log;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad configuration and bad restored state are refused with a message that says what is wrong. */
class InputValidationTest {
    @Test
    void raftConfigRefusesNonsense() {
        assertThatThrownBy(() -> config(1).withElectionTicks(5, 0)).hasMessageContaining("heartbeatTicks");
        assertThatThrownBy(() -> config(1).withElectionTicks(3, 3)).hasMessageContaining("electionTicks must exceed");
        assertThatThrownBy(() -> config(1).withLimits(0, 1, 1)).hasMessageContaining("maxInflight");
        assertThatThrownBy(() -> config(1).withLimits(1, 0, 1)).hasMessageContaining("size limits");
    }

    @Test
    void aRestoredLogWithAGapIsRefused() {
        List<Entry> gap = List.of(new Entry(1, 1, null), new Entry(3, 1, null));
        assertThatThrownBy(() -> core(config(1), 3, HardState.INITIAL, gap)).hasMessageContaining("gap");
    }

    @Test
    void entriesMustHaveAPositiveIndexAndTerm() {
        assertThatThrownBy(() -> new Entry(0, 1, null)).hasMessageContaining("index");
        assertThatThrownBy(() -> new Entry(1, 0, null)).hasMessageContaining("term");
    }

    @Test
    void aRestartedNodeAppliesWhatItKnewWasCommittedWithoutWaitingForTheLeader() {
        RaftCore c = core(config(1), 3, new HardState(1, RaftCore.NONE, 2), log(1, 1, 1));
        assertThat(Drive.flush(c).committed()).extracting(Entry::index).containsExactly(1L, 2L);
    }

    @Test
    void aReadyMustBeAdvancedBeforeTheNextOne() {
        RaftCore c = core(config(1), 3);
        Ready rd = c.ready();
        assertThat(c.hasReady()).isFalse();
        assertThatThrownBy(c::ready).hasMessageContaining("advance()");
        c.advance(rd);
        assertThatThrownBy(() -> c.advance(rd)).hasMessageContaining("no Ready outstanding");
    }

    @Test
    void messagesForAnotherNodeAreIgnored() {
        RaftCore c = core(config(1), 3);
        Drive.flush(c);
        c.step(new Message.VoteRequest(2, 3, 5, 0, 0, false, false));
        assertThat(c.term()).isZero();
        assertThat(c.hasReady()).isFalse();
    }

    @Test
    void compactingPastTheAppliedIndexIsRefused() {
        RaftCore c = core(config(1), 3, new HardState(1, RaftCore.NONE, 1), log(1, 1, 1));
        Drive.flush(c); // applies 1
        assertThatThrownBy(() -> c.compact(3, new byte[0])).hasMessageContaining("applied index");
    }
}
