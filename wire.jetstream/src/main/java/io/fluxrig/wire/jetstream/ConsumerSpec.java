package io.fluxrig.wire.jetstream;

import java.time.Duration;

/**
 * How a wire is consumed: in-flight deliveries per subscription (1 when ordered), ack wait,
 * deliveries before dead-lettering, and the redelivery delay when a handler throws. Immutable.
 */
record ConsumerSpec(boolean ordered, int maxInFlight, Duration ackWait, int maxDeliver, Duration nakDelay) {

    ConsumerSpec {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("max in flight: must be at least 1, is " + maxInFlight);
        }
        if (ackWait.toMillis() < 100) {
            throw new IllegalArgumentException("ack wait: must be at least 100 ms, is " + ackWait.toMillis() + " ms");
        }
        if (maxDeliver < 1) {
            throw new IllegalArgumentException("max deliver: must be at least 1, is " + maxDeliver);
        }
        if (nakDelay.isNegative()) {
            throw new IllegalArgumentException("nak delay: must not be negative");
        }
    }

    /** @return deliveries handled at once: 1 in ordered mode */
    int inFlight() {
        return ordered ? 1 : maxInFlight;
    }
}
