package io.mediasuite.invalidation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SqsVisibilityBackoffTest {

    @Test
    void delaySeconds_shouldDoubleUpToTheCap_whenAMessageKeepsFailing() {
        // given base 30 s, cap 900 s
        SqsVisibilityBackoff backoff = new SqsVisibilityBackoff(null, "https://sqs/q", 30, 900);

        // when / then
        assertEquals(30, backoff.delaySeconds(FailureKind.LIMIT, 1));
        assertEquals(60, backoff.delaySeconds(FailureKind.THROTTLED, 2));
        assertEquals(480, backoff.delaySeconds(FailureKind.LIMIT, 5));
        assertEquals(900, backoff.delaySeconds(FailureKind.LIMIT, 6));
        assertEquals(900, backoff.delaySeconds(FailureKind.UNAVAILABLE, 1_000));
    }

    @Test
    void delaySeconds_shouldReleaseAtOnce_whenMessageIsPoison() {
        // given
        SqsVisibilityBackoff backoff = new SqsVisibilityBackoff(null, "https://sqs/q", 30, 900);

        // when / then retrying cannot help; let it reach the dead-letter queue quickly
        assertEquals(0, backoff.delaySeconds(FailureKind.POISON, 1));
    }
}
