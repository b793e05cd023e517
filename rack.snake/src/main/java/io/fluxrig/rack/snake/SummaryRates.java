package io.fluxrig.rack.snake;

import io.fluxrig.rack.spi.RackState;
import io.fluxrig.snake.api.Inventory;
import io.fluxrig.snake.api.RackSummary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the gear instances' cumulative counters into the heartbeat's {@link RackSummary}: the
 * messages in and out per second and the error rate between this reading and the previous one.
 * Per gear instance (by name), a counter lower than the previous reading means the instance was
 * recreated (a patch applied again, a bundle restarted) and counts from zero: its whole value is
 * the interval's. An instance that disappeared adds nothing. With the instances' processing-time
 * windows ({@link RackState.Latency}) the summary also carries each instance's rates and
 * percentiles and the rack's p99 (the largest instance p99); they are the rack's own recent
 * windows, not this interval's (the rack keeps them; the Snake only reads them).
 *
 * <p>Threading: the Snake thread only (owned by {@link InventorySnapshot}); not thread-safe.
 */
final class SummaryRates {
    private record Counts(long in, long out, long errors) {
    }

    private Map<String, Counts> previous;
    private long previousNanos;

    /**
     * @param nowNanos a monotonic time ({@link System#nanoTime()})
     * @param gears the gear instances with their cumulative counters now
     * @return the summary since the previous call (no processing times), or null on the first
     *         call (no interval yet) or when no time passed
     */
    RackSummary next(long nowNanos, List<Inventory.Gear> gears) {
        return next(nowNanos, gears, null);
    }

    /**
     * @param nowNanos a monotonic time ({@link System#nanoTime()})
     * @param gears the gear instances with their cumulative counters now
     * @param latencies each instance's processing times by name (an instance not called recently
     *        has none), or null when the rack keeps none: the summary then has no per-gear part
     * @return the summary since the previous call, or null on the first call (no interval yet) or
     *         when no time passed
     */
    RackSummary next(long nowNanos, List<Inventory.Gear> gears, Map<String, RackState.Latency> latencies) {
        Map<String, Counts> now = new HashMap<>();
        for (Inventory.Gear g : gears) {
            now.put(g.name(), new Counts(g.in(), g.out(), g.errors()));
        }
        Map<String, Counts> before = previous;
        long elapsed = nowNanos - previousNanos;
        previous = now;
        previousNanos = nowNanos;
        if (before == null || elapsed <= 0) {
            return null;
        }
        double seconds = elapsed / 1e9;
        long in = 0;
        long out = 0;
        long errors = 0;
        Map<String, RackSummary.GearSummary> perGear = latencies == null ? null : new HashMap<>();
        Double p99 = null;
        for (Map.Entry<String, Counts> e : now.entrySet()) {
            Counts b = before.get(e.getKey());
            Counts c = e.getValue();
            long gearIn = delta(c.in(), b == null ? 0 : b.in());
            long gearErrors = delta(c.errors(), b == null ? 0 : b.errors());
            in += gearIn;
            out += delta(c.out(), b == null ? 0 : b.out());
            errors += gearErrors;
            if (perGear != null) {
                RackState.Latency l = latencies.get(e.getKey());
                perGear.put(e.getKey(), new RackSummary.GearSummary(gearIn / seconds, gearIn == 0 ? 0 : (double) gearErrors / gearIn,
                        l == null ? null : l.p50Millis(), l == null ? null : l.p99Millis()));
                if (l != null && (p99 == null || l.p99Millis() > p99)) {
                    p99 = l.p99Millis();
                }
            }
        }
        return new RackSummary(Math.round(elapsed / 1e6), in / seconds, out / seconds, in == 0 ? 0 : (double) errors / in, p99,
                perGear);
    }

    private static long delta(long now, long before) {
        return now >= before ? now - before : now;
    }
}
