package io.fluxrig.snake.api;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * At most one log line per period for an event a peer can repeat at will (a refused request):
 * the refusal stays visible without letting a flood of them fill the log. The line that is
 * written says how many were left out since the previous one. Thread-safe (lock-free).
 */
public final class LogThrottle {
    private final long periodNanos;
    private final AtomicLong last;
    private final AtomicLong skipped = new AtomicLong();

    /** @param period the shortest time between two logged events */
    public LogThrottle(Duration period) {
        this.periodNanos = period.toNanos();
        this.last = new AtomicLong(System.nanoTime() - periodNanos);
    }

    /**
     * Counts one event.
     *
     * @return -1 when this event is not to be logged; else how many events were not logged since the last logged one
     */
    public long admit() {
        long now = System.nanoTime();
        long previous = last.get();
        if (now - previous >= periodNanos && last.compareAndSet(previous, now)) {
            return skipped.getAndSet(0);
        }
        skipped.incrementAndGet();
        return -1;
    }

    /** @return " (N more since the last line)" for a positive count from {@link #admit()}, else "" */
    public static String more(long skipped) {
        return skipped > 0 ? " (" + skipped + " more since the last line)" : "";
    }
}
