package raftkv.cs3700.harness;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConsistencyCheckerTest {
    private final ConsistencyChecker checker = new ConsistencyChecker();

    @Test
    void aKeyNeverWrittenReadsEmpty() {
        assertThat(checker.getIsCorrect("k", 10, 20, "")).isTrue();
        assertThat(checker.getIsCorrect("k", 10, 20, "x")).isFalse();
    }

    @Test
    void theLastAcknowledgedPutIsRequired() {
        checker.putIssued("k", "a", 1);
        checker.putAcked("k", "a", 2);
        checker.putIssued("k", "b", 3);
        checker.putAcked("k", "b", 4);
        assertThat(checker.getIsCorrect("k", 10, 11, "b")).isTrue();
        assertThat(checker.getIsCorrect("k", 10, 11, "a")).as("overwritten before the get began").isFalse();
        assertThat(checker.getIsCorrect("k", 10, 11, "")).isFalse();
        assertThat(checker.latestAcknowledged("k", 10)).isEqualTo("\"b\"");
    }

    @Test
    void aGetConcurrentWithAPutMayReturnEitherValue() {
        checker.putIssued("k", "a", 1);
        checker.putAcked("k", "a", 2);
        checker.putIssued("k", "b", 5);
        checker.putAcked("k", "b", 9);
        // get open over [6, 8] overlaps put b [5, 9]
        assertThat(checker.getIsCorrect("k", 6, 8, "a")).isTrue();
        assertThat(checker.getIsCorrect("k", 6, 8, "b")).isTrue();
    }

    @Test
    void overlappingPutsBothFinishedBeforeTheGetAreEitherOrder() {
        checker.putIssued("k", "a", 1);
        checker.putIssued("k", "b", 2);
        checker.putAcked("k", "a", 3);
        checker.putAcked("k", "b", 4);
        assertThat(checker.getIsCorrect("k", 10, 11, "a")).isTrue();
        assertThat(checker.getIsCorrect("k", 10, 11, "b")).isTrue();
    }

    @Test
    void aValueFromThePutThatStartedAfterTheGetWasAnsweredIsWrong() {
        checker.putIssued("k", "late", 20);
        assertThat(checker.getIsCorrect("k", 10, 15, "late")).isFalse();
    }

    @Test
    void anUnacknowledgedPutMayHaveTakenEffectAnyTimeAfterItWasSent() {
        checker.putIssued("k", "maybe", 1);
        checker.putIssued("k", "sure", 2);
        checker.putAcked("k", "sure", 3);
        assertThat(checker.getIsCorrect("k", 10, 11, "maybe")).isTrue();
        assertThat(checker.getIsCorrect("k", 10, 11, "sure")).isTrue();
        assertThat(checker.anyKeyStored()).isTrue();
    }

    @Test
    void valuesOfOtherKeysAreWrong() {
        checker.putIssued("other", "v", 1);
        checker.putAcked("other", "v", 2);
        assertThat(checker.getIsCorrect("k", 10, 11, "v")).isFalse();
    }
}
