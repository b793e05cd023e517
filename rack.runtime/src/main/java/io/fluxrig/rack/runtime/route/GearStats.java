package io.fluxrig.rack.runtime.route;

import java.util.concurrent.atomic.LongAdder;

/**
 * Per-instance counters, kept across rebinds of the instance (they belong to its inlet).
 * Thread-safe (LongAdder: cheap increments from many threads).
 */
final class GearStats {
    /** Messages handed to the gear's onMessage. */
    final LongAdder in = new LongAdder();
    /** Messages the gear emitted on a linked port. */
    final LongAdder out = new LongAdder();
    /** Messages the gear rejected or failed on. */
    final LongAdder errors = new LongAdder();
    /** Of {@link #errors}, the rejections (GearRejection, GearContext.reject); the rest failed. */
    final LongAdder rejected = new LongAdder();
    /** Messages the gear emitted on a port without links. */
    final LongAdder unrouted = new LongAdder();
    /** Processing times of the recent calls ({@link LatencyWindow}: lock-free too). */
    final LatencyWindow latency = new LatencyWindow();
}
