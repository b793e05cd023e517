package io.fluxrig.rack.runtime.route;

/**
 * A snapshot of one gear instance for consoles.
 *
 * @param name instance name
 * @param type gear type from the patch
 * @param bundle the bound service's bundle (symbolic name and version), or "-"
 * @param state "bound", "waiting" (no service yet), or "open failed: ..."
 * @param in messages handed to the gear
 * @param out messages it emitted on linked ports
 * @param errors messages it rejected or failed on
 * @param buffered messages waiting for it now
 * @param unrouted messages it emitted on ports without links
 * @param latency its processing times over the recent window, or null when it was not called in it
 */
public record GearRow(String name, String type, String bundle, String state, long in, long out, long errors,
        long buffered, long unrouted, Latency latency) {
    /**
     * Processing-time percentiles of the recent calls ({@code onMessage}, its synchronous
     * downstream included), each the upper bound of its histogram bucket (at most 12.5 % high).
     *
     * @param calls calls in the window
     * @param p50Millis median
     * @param p99Millis 99th percentile
     * @param windowMillis the window's nominal length
     */
    public record Latency(long calls, double p50Millis, double p99Millis, long windowMillis) {
    }
}
