package raftkv.cs3700;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** Partners whose chain came back from neither are paired otherwise while another pairing exists. */
class ChainPairingsTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final Map<String, Long> heard = new HashMap<>();
    private final ChainPairings pairings = new ChainPairings(nanos::get, p -> heard.getOrDefault(p, Long.MIN_VALUE));

    /** Pairs {@code peers} as a flush would, and sends the chains. */
    private List<String> pairAndSend(List<String> peers) {
        List<String> order = pairings.order(peers);
        for (int i = 0; i + 1 < order.size(); i += 2) pairings.chained(order.get(i), order.get(i + 1));
        return order;
    }

    private void later(long millis) {
        nanos.addAndGet(millis * 1_000_000L);
    }

    @Test
    void withoutFailuresTheOrderOfPreferenceStands() {
        assertThat(pairAndSend(List.of("a", "b", "c", "d"))).containsExactly("a", "b", "c", "d");
    }

    @Test
    void afterAPartitionCutsOneOfEachPairTheReachableFollowersEndUpPaired() {
        // b and c are cut off: every chain with one of them comes back from no one.
        assertThat(pairAndSend(List.of("a", "b", "c", "d"))).containsExactly("a", "b", "c", "d");
        later(30);
        assertThat(pairAndSend(List.of("a", "b", "c", "d"))).containsExactly("a", "c", "b", "d");
        later(30);
        assertThat(pairAndSend(List.of("a", "b", "c", "d"))).containsExactly("a", "d", "b", "c");
        later(1);
        heard.put("a", nanos.get());
        heard.put("d", nanos.get());
        later(30);
        // The a-d chain came back; a and d stay partners, and the cut pair stays together.
        assertThat(pairAndSend(List.of("a", "b", "c", "d"))).containsExactly("a", "d", "b", "c");
    }

    @Test
    void aChainIsNotJudgedBeforeItsAnswersCouldComeBack() {
        pairAndSend(List.of("a", "b", "c", "d"));
        later(5);
        assertThat(pairAndSend(List.of("a", "b", "c", "d"))).containsExactly("a", "b", "c", "d");
    }

    @Test
    void aFailedPairIsForgivenOnceBothPartnersAreHeardFromAgain() {
        pairAndSend(List.of("a", "b", "c", "d"));
        later(30);
        assertThat(pairAndSend(List.of("a", "b", "c", "d"))).containsExactly("a", "c", "b", "d");
        later(1);
        heard.put("a", nanos.get());
        heard.put("b", nanos.get());
        heard.put("c", nanos.get());
        heard.put("d", nanos.get());
        assertThat(pairAndSend(List.of("a", "b", "c", "d"))).containsExactly("a", "b", "c", "d");
    }

    @Test
    void twoPeersWhoseChainFailedAreStillChainedWhenThereIsNoOtherPartner() {
        pairAndSend(List.of("a", "b"));
        later(30);
        assertThat(pairAndSend(List.of("a", "b"))).containsExactly("a", "b");
    }
}
