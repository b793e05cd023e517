package io.fluxrig.rack.snake;

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
 * the interval's. An instance that disappeared adds nothing.
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
     * @return the summary since the previous call, or null on the first call (no interval yet) or
     *         when no time passed
     */
    RackSummary next(long nowNanos, List<Inventory.Gear> gears) {
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
        long in = 0;
        long out = 0;
        long errors = 0;
        for (Map.Entry<String, Counts> e : now.entrySet()) {
            Counts b = before.get(e.getKey());
            Counts c = e.getValue();
            in += delta(c.in(), b == null ? 0 : b.in());
            out += delta(c.out(), b == null ? 0 : b.out());
            errors += delta(c.errors(), b == null ? 0 : b.errors());
        }
        double seconds = elapsed / 1e9;
        return new RackSummary(Math.round(elapsed / 1e6), in / seconds, out / seconds, in == 0 ? 0 : (double) errors / in);
    }

    private static long delta(long now, long before) {
        return now >= before ? now - before : now;
    }
}
