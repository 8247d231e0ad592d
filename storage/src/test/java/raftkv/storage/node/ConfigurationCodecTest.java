package raftkv.storage.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Set;

import org.junit.jupiter.api.Test;

import raftkv.raft.Configuration;

class ConfigurationCodecTest {

    @Test
    void roundTripsVotersAndLearners() {
        Configuration c = new Configuration(Set.of(5, 1, 3), Set.of(9, 7));
        assertThat(ConfigurationCodec.decode(ConfigurationCodec.encode(c))).isEqualTo(c);
        Configuration single = Configuration.ofVoters(Set.of(1));
        assertThat(ConfigurationCodec.decode(ConfigurationCodec.encode(single))).isEqualTo(single);
    }

    @Test
    void documentedLayout() {
        byte[] b = ConfigurationCodec.encode(new Configuration(Set.of(2, 1), Set.of(3)));
        assertThat(b).containsExactly(1, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 3);
    }

    @Test
    void damagedBlobsAreRefusedWithAReason() {
        byte[] good = ConfigurationCodec.encode(Configuration.ofVoters(Set.of(1, 2, 3)));
        assertThatThrownBy(() -> ConfigurationCodec.decode(new byte[0])).hasMessageContaining("truncated");
        assertThatThrownBy(() -> ConfigurationCodec.decode(Arrays.copyOf(good, good.length - 1))).hasMessageContaining("truncated");
        assertThatThrownBy(() -> ConfigurationCodec.decode(Arrays.copyOf(good, good.length + 2))).hasMessageContaining("unexpected bytes");
        byte[] version = good.clone();
        version[0] = 9;
        assertThatThrownBy(() -> ConfigurationCodec.decode(version)).hasMessageContaining("version 9");
        byte[] count = good.clone();
        count[1] = (byte) 0x7f;
        assertThatThrownBy(() -> ConfigurationCodec.decode(count)).hasMessageContaining("implausible voter count");
        byte[] noVoters = {1, 0, 0, 0, 0, 0, 0, 0, 0};
        assertThatThrownBy(() -> ConfigurationCodec.decode(noVoters)).isInstanceOf(IllegalArgumentException.class);
    }
}
