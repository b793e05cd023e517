package io.fluxrig.snake.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.TreeMap;

/**
 * A rack's traffic over its last heartbeat interval, computed on the rack from the gear instances'
 * counters and processing-time windows and sent in every {@link Heartbeat} (outside the
 * inventory, so it never changes the {@link InventoryDigest}). The Mixer keeps the latest one per
 * rack in memory, lists it in {@link RackInfo}, and gates rollout waves on it.
 *
 * <p>Compatibility: a rack that predates processing times sends none ({@code p99Millis} and
 * {@code gears} are then null and absent from the JSON); a Mixer that predates them ignores them.
 *
 * @param intervalMillis the interval the rates cover (the time between the two counter readings)
 * @param inPerSecond messages handed to the rack's gear instances per second
 * @param outPerSecond messages the gear instances emitted per second
 * @param errorRate messages that failed divided by messages handed in over the interval (0 when
 *        none came in; may exceed 1 when a gear fails messages it emitted itself)
 * @param p99Millis the rack's processing-time 99th percentile in milliseconds: the largest of its
 *        gear instances' over their recent window (a gear's time includes its synchronous
 *        downstream, so the entry gear's is about the rack's own), or null when no gear was called
 *        in it or the rack keeps no processing times
 * @param gears per gear instance (by name) its own rates and processing times, or null from a rack
 *        that predates them
 */
public record RackSummary(long intervalMillis, double inPerSecond, double outPerSecond, double errorRate,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double p99Millis,
        @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, GearSummary> gears) {
    /** A summary without processing times (a rack that keeps none). */
    public RackSummary(long intervalMillis, double inPerSecond, double outPerSecond, double errorRate) {
        this(intervalMillis, inPerSecond, outPerSecond, errorRate, null, null);
    }

    /** Gears are copied, sorted by name. */
    public RackSummary {
        gears = gears == null ? null : java.util.Collections.unmodifiableMap(new TreeMap<>(gears));
    }

    /**
     * One gear instance's part of the summary.
     *
     * @param inPerSecond messages handed to it per second over the interval
     * @param errorRate messages it failed divided by messages handed to it (0 when none came in)
     * @param p50Millis its median processing time over its recent window, or null when it was not
     *        called in it
     * @param p99Millis its 99th percentile processing time over that window, or null
     */
    public record GearSummary(double inPerSecond, double errorRate,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double p50Millis,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double p99Millis) {
    }
}
