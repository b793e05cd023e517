package io.fluxrig.rack.runtime.route;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One gear instance's processing times over a recent window, for percentiles the rack can read
 * itself (the OpenTelemetry histogram is cumulative and readable only by its exporter).
 *
 * <p>Fixed memory: {@value #SLOTS} time slots of {@value #SLOT_MILLIS} ms, each a log-linear
 * histogram of {@value #BUCKETS} counters (8 sub-buckets per power of two from 1.024 µs to ~137 s,
 * so a percentile is at most 12.5 % above the true value; faster calls count in the first bucket,
 * slower ones in the last). A read sums the slots of the last {@value #SLOTS} periods, the current
 * one included (so the window is between {@code (SLOTS-1) * SLOT_MILLIS} and
 * {@code SLOTS * SLOT_MILLIS} long): about 10 KB per instance.
 *
 * <p>Threading: lock-free. {@link #record} is called by any thread running the gear (one atomic
 * increment, plus one compare-and-set and a clear when a slot starts a new period); {@link #read}
 * by any thread. A call recorded by another thread while a slot is being cleared for its new period
 * may be lost or counted in that period: an approximation a percentile over thousands of calls
 * does not notice, and the price of taking no lock on the hot path.
 */
final class LatencyWindow {
    /** Slots in the window. */
    static final int SLOTS = 6;
    /** Length of one slot. */
    static final long SLOT_MILLIS = 5000;
    private static final long SLOT_NANOS = SLOT_MILLIS * 1_000_000L;
    private static final int SUB_BITS = 3;
    private static final int SUB = 1 << SUB_BITS;
    /** Smallest power of two kept apart (2^10 ns = 1.024 µs). */
    private static final int MIN_EXP = 10;
    /** Largest power of two kept apart (2^36 ns ≈ 69 s; its sub-buckets reach 2^37 ns). */
    private static final int MAX_EXP = 36;
    /** Buckets per slot: one below 2^MIN_EXP, then SUB per power of two, then one above. */
    static final int BUCKETS = (MAX_EXP - MIN_EXP + 1) * SUB + 2;

    private final AtomicLongArray counts = new AtomicLongArray(SLOTS * BUCKETS);
    /** The period (nanoTime / SLOT_NANOS) each slot counts; Long.MIN_VALUE when never used. */
    private final AtomicLongArray periods = new AtomicLongArray(SLOTS);

    LatencyWindow() {
        for (int i = 0; i < SLOTS; i++) {
            periods.set(i, Long.MIN_VALUE);
        }
    }

    /**
     * Percentiles of the window.
     *
     * @param calls calls counted in the window
     * @param p50Nanos median processing time (upper bound of its bucket)
     * @param p99Nanos 99th percentile (upper bound of its bucket)
     * @param windowMillis the window's nominal length
     */
    record Snapshot(long calls, long p50Nanos, long p99Nanos, long windowMillis) {
    }

    /**
     * Counts one call.
     *
     * @param nowNanos {@link System#nanoTime()} at the end of the call
     * @param nanos how long it took
     */
    void record(long nowNanos, long nanos) {
        long period = Math.floorDiv(nowNanos, SLOT_NANOS);
        int slot = (int) Math.floorMod(period, (long) SLOTS);
        long held = periods.get(slot);
        if (held < period && periods.compareAndSet(slot, held, period)) {
            int base = slot * BUCKETS;
            for (int i = 0; i < BUCKETS; i++) {
                counts.set(base + i, 0);
            }
        }
        counts.incrementAndGet(slot * BUCKETS + bucket(nanos));
    }

    /**
     * @param nowNanos {@link System#nanoTime()} now
     * @return the window's percentiles, or null when it counted no call
     */
    Snapshot read(long nowNanos) {
        long period = Math.floorDiv(nowNanos, SLOT_NANOS);
        long[] sum = new long[BUCKETS];
        long total = 0;
        for (int s = 0; s < SLOTS; s++) {
            long p = periods.get(s);
            if (p > period - SLOTS && p <= period) {
                for (int i = 0; i < BUCKETS; i++) {
                    long c = counts.get(s * BUCKETS + i);
                    sum[i] += c;
                    total += c;
                }
            }
        }
        if (total == 0) {
            return null;
        }
        return new Snapshot(total, percentile(sum, total, 0.50), percentile(sum, total, 0.99), SLOTS * SLOT_MILLIS);
    }

    private static long percentile(long[] sum, long total, double q) {
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += sum[i];
            if (seen >= rank) {
                return upperBound(i);
            }
        }
        return upperBound(BUCKETS - 1);
    }

    /** @return the bucket of a duration */
    static int bucket(long nanos) {
        if (nanos < (1L << MIN_EXP)) {
            return 0;
        }
        int exp = 63 - Long.numberOfLeadingZeros(nanos);
        if (exp > MAX_EXP) {
            return BUCKETS - 1;
        }
        int sub = (int) (nanos >>> (exp - SUB_BITS)) & (SUB - 1);
        return 1 + (exp - MIN_EXP) * SUB + sub;
    }

    /** @return the largest duration (exclusive) a bucket holds; the last bucket's is its lower bound */
    static long upperBound(int bucket) {
        if (bucket == 0) {
            return 1L << MIN_EXP;
        }
        if (bucket >= BUCKETS - 1) {
            return 1L << (MAX_EXP + 1);
        }
        int exp = MIN_EXP + (bucket - 1) / SUB;
        int sub = (bucket - 1) % SUB;
        return (long) (SUB + sub + 1) << (exp - SUB_BITS);
    }
}
