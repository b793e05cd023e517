package io.fluxrig.iso8583.gear;

/**
 * A snapshot of one {@code iso8583.client} instance's counters (since it was opened).
 *
 * @param connected whether a connection is up now
 * @param connects successful connects
 * @param sent requests written
 * @param matched responses paired with their request and emitted
 * @param timedOut requests emitted on error because no response came in time
 * @param lost requests emitted on error because the connection dropped first
 * @param unmatched responses that paired with nothing (late, or unknown key)
 * @param echoes echo responses received
 */
public record ClientCounters(boolean connected, long connects, long sent, long matched, long timedOut, long lost, long unmatched,
        long echoes) {
}
