package io.fluxrig.rack.runtime.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyWindowTest {
    private static final long SLOT = LatencyWindow.SLOT_MILLIS * 1_000_000L;
    private static final long T0 = 1_000 * SLOT; // any monotonic origin

    @Test
    void everyDurationFallsInABucketWhoseBoundsHoldItWithinAnEighth() {
        for (long nanos = 1024; nanos < (1L << 37); nanos = nanos * 3 / 2 + 7) {
            int b = LatencyWindow.bucket(nanos);
            long upper = LatencyWindow.upperBound(b);
            long lower = LatencyWindow.upperBound(b - 1);
            assertTrue(lower <= nanos && nanos < upper, nanos + " in [" + lower + ", " + upper + ")");
            assertTrue(upper - lower <= lower / 8 + 1, "bucket " + b + " wider than an eighth");
        }
        assertEquals(0, LatencyWindow.bucket(0));
        assertEquals(0, LatencyWindow.bucket(1023));
        assertEquals(LatencyWindow.BUCKETS - 1, LatencyWindow.bucket(Long.MAX_VALUE));
    }

    @Test
    void percentilesOfAKnownDistribution() {
        LatencyWindow w = new LatencyWindow();
        for (int i = 0; i < 990; i++) {
            w.record(T0, 100_000); // 0.1 ms
        }
        for (int i = 0; i < 10; i++) {
            w.record(T0, 50_000_000); // 50 ms
        }
        LatencyWindow.Snapshot s = w.read(T0);
        assertEquals(1000, s.calls());
        assertTrue(s.p50Nanos() > 100_000 && s.p50Nanos() <= 112_500, "p50 " + s.p50Nanos());
        assertTrue(s.p99Nanos() > 100_000 && s.p99Nanos() <= 112_500, "p99 " + s.p99Nanos() + ": 990 of 1000 calls are fast");
        w.record(T0, 50_000_000);
        assertTrue(s.p99Nanos() < w.read(T0).p99Nanos(), "one more slow call moves the 99th percentile to the slow bucket");
        assertTrue(w.read(T0).p99Nanos() <= 56_250_000);
    }

    @Test
    void oldPeriodsLeaveTheWindowAndSlotsAreReused() {
        LatencyWindow w = new LatencyWindow();
        assertNull(w.read(T0), "nothing recorded");
        w.record(T0, 20_000_000);
        assertEquals(1, w.read(T0 + (LatencyWindow.SLOTS - 1) * SLOT).calls(), "still in the window");
        assertNull(w.read(T0 + LatencyWindow.SLOTS * SLOT), "a window later it is gone");
        w.record(T0 + LatencyWindow.SLOTS * SLOT, 2_000_000); // same slot, new period: cleared first
        LatencyWindow.Snapshot s = w.read(T0 + LatencyWindow.SLOTS * SLOT);
        assertEquals(1, s.calls());
        assertTrue(s.p99Nanos() <= 2_250_000, "the old 20 ms call was cleared: " + s.p99Nanos());
    }

    @Test
    void concurrentRecordersLoseNothingWithinOnePeriod() throws InterruptedException {
        LatencyWindow w = new LatencyWindow();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    w.record(T0, 1_000_000);
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(40_000, w.read(T0).calls());
    }
}
