package io.fluxrig.snake.api;

import java.util.Map;

/**
 * The body of {@link SnakeRoute#HEARTBEAT}, sent every period.
 *
 * @param heartbeatMillis the rack's period; the Mixer marks a rack offline after missing three
 *        (0 when not given: the Mixer assumes {@value #DEFAULT_PERIOD_MS} ms)
 * @param versions e.g. {@code java}, {@code fluxrig}
 * @param inventory what runs on the rack, or null
 */
public record Heartbeat(long heartbeatMillis, Map<String, String> versions, Inventory inventory) {
    /** The period assumed when a heartbeat does not give one. */
    public static final long DEFAULT_PERIOD_MS = 5000;

    /** Null versions become empty. */
    public Heartbeat {
        versions = versions == null ? Map.of() : Map.copyOf(versions);
    }

    /** @return the period, or {@value #DEFAULT_PERIOD_MS} when not given */
    public long periodMillis() {
        return heartbeatMillis > 0 ? heartbeatMillis : DEFAULT_PERIOD_MS;
    }
}
