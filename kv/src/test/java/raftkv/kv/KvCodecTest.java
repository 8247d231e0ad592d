package raftkv.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class KvCodecTest {
    @Provide
    Arbitrary<KvCommand> commands() {
        return Generators.commands();
    }

    @Provide
    Arbitrary<KvResult> results() {
        return Generators.results();
    }

    @Provide
    Arbitrary<byte[]> junk() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
    }

    @Property(tries = 500)
    void commandsRoundTrip(@ForAll("commands") KvCommand c) {
        byte[] encoded = KvCodec.encode(c);
        assertThat(encoded).hasSize(KvCodec.encodedSize(c));
        assertThat(KvCodec.decodeCommand(encoded)).isEqualTo(c);
    }

    @Property(tries = 500)
    void resultsRoundTrip(@ForAll("results") KvResult r) {
        assertThat(KvCodec.decodeResult(KvCodec.encode(r))).isEqualTo(r);
    }

    @Property(tries = 1000)
    void randomBytesOnlyEverThrowMalformed(@ForAll("junk") byte[] data) {
        decodeBoth(data);
    }

    @Property(tries = 500)
    void mutatedCommandsOnlyEverThrowMalformed(@ForAll("commands") KvCommand c, @ForAll long seed) {
        byte[] data = KvCodec.encode(c);
        Random random = new Random(seed);
        for (int round = 0; round < 20; round++) {
            byte[] m = data.clone();
            switch (random.nextInt(3)) {
                case 0 -> m[random.nextInt(m.length)] ^= (byte) (1 << random.nextInt(8));
                case 1 -> m = Arrays.copyOf(m, random.nextInt(m.length));
                default -> {
                    m = Arrays.copyOf(m, m.length + 1 + random.nextInt(4));
                    m[m.length - 1] = (byte) random.nextInt();
                }
            }
            decodeBoth(m);
        }
    }

    /** Any exception other than MalformedCommandException escapes and fails the property. */
    private static void decodeBoth(byte[] data) {
        try {
            KvCommand c = KvCodec.decodeCommand(data);
            assertThat(KvCodec.encode(c)).isEqualTo(data); // accepted bytes are canonical
        } catch (MalformedCommandException expected) {
            assertThat(expected.getMessage()).matches("(malformed|invalid) command.*");
        }
        try {
            KvResult r = KvCodec.decodeResult(data);
            assertThat(KvCodec.encode(r)).isEqualTo(data);
        } catch (MalformedCommandException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Test
    void encodingIsCompact() {
        byte[] put = KvCodec.encode(new KvCommand.Put(Bytes.utf8("k"), Bytes.utf8("v")));
        assertThat(put).containsExactly(1, KvCodec.PUT, 1, 'k', 1, 'v');
        byte[] session = KvCodec.encode(new KvCommand.SessionRequest(5, 3, 2, 100,
                new KvCommand.Get(Bytes.utf8("k"))));
        assertThat(session).containsExactly(1, KvCodec.SESSION, 5, 3, 2, 100, KvCodec.GET, 1, 'k');
    }

    @Test
    void oversizedKeyLengthIsRejectedBeforeAllocation() {
        // Put with a key length of 2^31: must fail on the length, not try to allocate.
        byte[] data = {1, KvCodec.PUT, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08};
        assertThatThrownBy(() -> KvCodec.decodeCommand(data))
                .isInstanceOf(MalformedCommandException.class)
                .hasMessageContaining("key length 2147483648 is over the limit of 65536");
    }

    @Test
    void lengthBeyondInputIsTruncation() {
        byte[] data = {1, KvCodec.GET, 10, 'a'};
        assertThatThrownBy(() -> KvCodec.decodeCommand(data))
                .isInstanceOf(MalformedCommandException.class)
                .hasMessageContaining("needs more bytes than the 1 left");
    }

    @Test
    void wrongVersionTrailingBytesAndNonCanonicalVarintsAreRejected() {
        assertThatThrownBy(() -> KvCodec.decodeCommand(new byte[] {2, KvCodec.GET, 0}))
                .hasMessageContaining("unsupported version 2");
        assertThatThrownBy(() -> KvCodec.decodeCommand(new byte[] {1, KvCodec.GET, 0, 0}))
                .hasMessageContaining("1 unexpected trailing bytes");
        assertThatThrownBy(() -> KvCodec.decodeCommand(new byte[] {1, KvCodec.GET, (byte) 0x80, 0}))
                .hasMessageContaining("not in canonical form");
        assertThatThrownBy(() -> KvCodec.decodeCommand(new byte[0]))
                .isInstanceOf(MalformedCommandException.class).hasMessageContaining("truncated");
    }

    @Test
    void nestedBatchIsRejected() {
        byte[] data = {1, KvCodec.BATCH, 1, KvCodec.BATCH, 0};
        assertThatThrownBy(() -> KvCodec.decodeCommand(data)).hasMessageContaining("may not contain a batch");
    }

    @Test
    void validatorEnforcesLimits() {
        Bytes bigValue = Bytes.of(new byte[KvLimits.MAX_VALUE_BYTES + 1]);
        assertThatThrownBy(() -> KvValidator.validate(new KvCommand.Put(Bytes.utf8("k"), bigValue)))
                .isInstanceOf(MalformedCommandException.class).hasMessageContaining("value is 1048577 bytes");
        List<KvCommand.KeyOp> many = java.util.Collections.nCopies(KvLimits.MAX_BATCH_OPS + 1,
                new KvCommand.Get(Bytes.utf8("k")));
        assertThat(KvValidator.problem(new KvCommand.Batch(many))).contains("over the limit of 1024");
        Bytes mib = Bytes.of(new byte[KvLimits.MAX_VALUE_BYTES]);
        List<KvCommand.KeyOp> big = java.util.Collections.nCopies(5, new KvCommand.Put(Bytes.utf8("k"), mib));
        assertThat(KvValidator.problem(new KvCommand.Batch(big))).contains("over the limit of 4194304");
        assertThat(KvValidator.problem(new KvCommand.Put(Bytes.utf8("k"), mib))).isNull();
    }
}
