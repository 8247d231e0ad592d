package raftkv.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TraceTest {
    @Test
    void eventsMakeTheHashAndRemarksOnlyTheText() {
        Trace a = new Trace(true);
        Trace b = new Trace(true);
        a.event(1, "leader 1 term 2");
        b.event(1, "leader 1 term 2");
        a.remark(9, "verdict unknown: time budget exhausted (100 search steps)");
        b.remark(9, "verdict unknown: time budget exhausted (200 search steps)");
        assertThat(a.hash()).isEqualTo(b.hash());
        assertThat(a.text()).contains("100 search steps");
        assertThat(a.text().lines().count()).isEqualTo(a.events());

        Trace c = new Trace(false);
        c.event(1, "leader 1 term 3");
        assertThat(c.hash()).isNotEqualTo(a.hash());
    }
}
