package raftkv.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;

import org.junit.jupiter.api.Test;

import raftkv.raft.DeliberateBug;

class SimArgsTest {
    @Test
    void parsesACampaign() {
        SimOptions o = SimArgs.parse(new String[] {"--seeds", "20", "--base", "100", "--nodes", "3", "--faults",
                "drops,crashes", "--ops", "50", "--bugs", "ack-before-commit"});
        assertThat(o.baseSeed()).isEqualTo(100);
        assertThat(o.seedCount()).isEqualTo(20);
        assertThat(o.nodes()).isEqualTo(3);
        assertThat(o.faults()).containsExactlyInAnyOrder(Fault.DROPS, Fault.CRASHES);
        assertThat(o.bugs()).containsExactly(DeliberateBug.ACK_BEFORE_COMMIT);
    }

    @Test
    void oneSeed() {
        SimOptions o = SimArgs.parse(new String[] {"--seed", "-5"});
        assertThat(o.baseSeed()).isEqualTo(-5);
        assertThat(o.seedCount()).isEqualTo(1);
        assertThat(o.faults()).isEqualTo(EnumSet.allOf(Fault.class));
    }

    @Test
    void badInputSaysWhatIsWrong() {
        assertThatThrownBy(() -> SimArgs.parse(new String[] {"--nodes", "9"})).hasMessageContaining("3 to 7");
        assertThatThrownBy(() -> SimArgs.parse(new String[] {"--faults", "fire"})).hasMessageContaining("unknown fault 'fire'");
        assertThatThrownBy(() -> SimArgs.parse(new String[] {"--ops", "many"})).hasMessageContaining("whole number");
        assertThatThrownBy(() -> SimArgs.parse(new String[] {"--ops"})).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> SimArgs.parse(new String[] {"--frobnicate", "1"})).hasMessageContaining("unknown option");
        assertThatThrownBy(() -> SimArgs.parse(new String[] {"--seed", "1", "--seeds", "2"})).hasMessageContaining("--seed");
        assertThatThrownBy(() -> SimArgs.parse(new String[] {"--bugs", "typo"})).hasMessageContaining("unknown bug");
    }

    @Test
    void theReproduceCommandParsesBackToTheSameRun() {
        SimOptions o = SimOptions.defaults().withNodes(3).withOps(70).withFaults(EnumSet.of(Fault.PAUSES));
        SimOptions back = SimArgs.parse(SimArgs.commandFor(o, 42).replaceFirst("^simulate ", "").split(" "));
        assertThat(back.baseSeed()).isEqualTo(42);
        assertThat(back.nodes()).isEqualTo(3);
        assertThat(back.opsPerSeed()).isEqualTo(70);
        assertThat(back.faults()).containsExactly(Fault.PAUSES);
    }
}
