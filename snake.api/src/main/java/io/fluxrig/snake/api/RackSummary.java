package io.fluxrig.snake.api;

/**
 * A rack's traffic over its last heartbeat interval, computed on the rack from the gear instances'
 * counters and sent in every {@link Heartbeat} (outside the inventory, so it never changes the
 * {@link InventoryDigest}). The Mixer keeps the latest one per rack in memory and lists it in
 * {@link RackInfo}. No processing-time percentile yet: a rack's counters hold none that the Snake
 * can read.
 *
 * @param intervalMillis the interval the rates cover (the time between the two counter readings)
 * @param inPerSecond messages handed to the rack's gear instances per second
 * @param outPerSecond messages the gear instances emitted per second
 * @param errorRate messages that failed divided by messages handed in over the interval (0 when
 *        none came in; may exceed 1 when a gear fails messages it emitted itself)
 */
public record RackSummary(long intervalMillis, double inPerSecond, double outPerSecond, double errorRate) {
}
