package raftkv.kv;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BytesTest {
    @Test
    void equalityIsByContentAndCopiesAreIndependent() {
        byte[] raw = {1, 2, 3};
        Bytes b = Bytes.of(raw);
        raw[0] = 9;
        assertThat(b).isEqualTo(Bytes.of(new byte[] {1, 2, 3}));
        assertThat(b.hashCode()).isEqualTo(Bytes.of(new byte[] {1, 2, 3}).hashCode());
        b.toByteArray()[1] = 7;
        assertThat(b.byteAt(1)).isEqualTo((byte) 2);
    }

    @Test
    void orderIsUnsignedLexicographic() {
        Bytes low = Bytes.of(new byte[] {0x7f});
        Bytes high = Bytes.of(new byte[] {(byte) 0x80});
        assertThat(low).isLessThan(high);
        assertThat(Bytes.utf8("ab")).isLessThan(Bytes.utf8("abc"));
        assertThat(Bytes.EMPTY).isLessThan(Bytes.utf8("a"));
        assertThat(Bytes.utf8("b")).isGreaterThan(Bytes.utf8("abc"));
    }

    @Test
    void toStringShowsTextOrHex() {
        assertThat(Bytes.utf8("key")).hasToString("\"key\"");
        assertThat(Bytes.of(new byte[] {0, (byte) 0xff})).hasToString("0x00ff");
    }
}
