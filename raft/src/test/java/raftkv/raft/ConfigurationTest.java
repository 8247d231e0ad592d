package raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigurationTest {
    @Test
    void membersIterateInAscendingOrderSoSeededRunsRepeatAcrossJvms() { // regression
        Configuration c = new Configuration(Set.of(5, 3, 9, 1, 7), Set.of(8, 2, 6));
        assertThat(c.voters()).containsExactly(1, 3, 5, 7, 9);
        assertThat(c.learners()).containsExactly(2, 6, 8);
        assertThat(c).isEqualTo(new Configuration(Set.of(1, 3, 5, 7, 9), Set.of(2, 6, 8)));
    }

    @Test
    void isImmutableAndValidated() {
        Configuration c = Configuration.ofVoters(Set.of(1, 2, 3));
        assertThatThrownBy(() -> c.voters().add(4)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> Configuration.ofVoters(Set.of())).hasMessageContaining("at least one voter");
        assertThatThrownBy(() -> new Configuration(Set.of(1), Set.of(1))).hasMessageContaining("both voter and learner");
        assertThat(c.quorum()).isEqualTo(2);
    }
}
