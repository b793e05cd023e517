package io.fluxrig.iso8583.gear;

/**
 * A snapshot of one {@code iso8583.server} instance's counters (since it was opened).
 *
 * @param connectionsOpen connections open now
 * @param connectionsTotal connections accepted and served
 * @param connectionsRefused connections closed at accept because max.connections were open
 * @param connectionsFailed connections closed for a framing error, a timeout or an I/O failure
 * @param framesIn frames read and emitted on out
 * @param framesOut responses written
 * @param rejected frames read but not taken downstream (back-pressure)
 * @param undeliverable responses for a closed or unknown connection, or whose write failed
 * @param declined of the rejected frames, those answered at once with a back-pressure decline
 *     (39 = reject.response.code, with reject.dialect set); also counted in framesOut
 */
public record ServerCounters(long connectionsOpen, long connectionsTotal, long connectionsRefused, long connectionsFailed,
        long framesIn, long framesOut, long rejected, long undeliverable, long declined) {
}
