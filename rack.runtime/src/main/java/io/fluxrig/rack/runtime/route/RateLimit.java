package io.fluxrig.rack.runtime.route;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets one log line through per period and counts the ones it held back, so a gear failing on
 * every message cannot flood the log. Thread-safe, lock-free.
 */
final class RateLimit {
    private final long periodNanos;
    private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    RateLimit(long periodMillis) {
        this.periodNanos = periodMillis * 1_000_000L;
    }

    /** @return -1 to stay quiet, otherwise how many lines were held back since the last one */
    long tryAcquire() {
        long now = System.nanoTime();
        long n = next.get();
        if ((n == Long.MIN_VALUE || now - n >= 0) && next.compareAndSet(n, now + periodNanos)) {
            return suppressed.getAndSet(0);
        }
        suppressed.incrementAndGet();
        return -1;
    }
}
