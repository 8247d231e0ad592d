package raftkv.cs3700;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import raftkv.raft.RaftCore;

class IdsTest {
    @Test
    void formatWritesFourUpperCaseHexDigitsAsTheSimulatorDoes() {
        assertThat(Ids.format(0)).isEqualTo("0000");
        assertThat(Ids.format(0x15)).isEqualTo("0015");
        assertThat(Ids.format(0xABCD)).isEqualTo("ABCD");
        assertThat(Ids.format(RaftCore.NONE)).isEqualTo(Ids.BROADCAST);
    }

    @Test
    void formatUndoesParse() {
        for (String id : new String[] {"0000", "0004", "00FF", "0100", "FFFE"}) assertThat(Ids.format(Ids.parse(id))).isEqualTo(id);
    }
}
