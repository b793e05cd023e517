package io.fluxrig.mixer;

import io.fluxrig.mixer.store.RackRecord;

/**
 * The offline rule: an online rack is offline after no heartbeat for N of its own periods, counting
 * only time in which this Mixer was running. When the sweeper finds that more time passed since its
 * previous run than its interval allows ({@link #STALL_MS} more), the Mixer itself was not running
 * (a long GC pause, a starved or suspended process): the heartbeats of that time are still queued in
 * its sockets, and a rack is judged again only on silence after the Mixer resumed, a full window
 * later. Without this, a 10 s stall on a loaded machine marked hundreds of racks offline whose
 * heartbeats were waiting to be read.
 *
 * <p>Used by the sweeper's one thread only; not thread-safe.
 */
final class OfflineRule {
    /** A sweep later than its interval by more than this means the Mixer was stalled. */
    static final long STALL_MS = 1000;

    private final int afterPeriods;
    private final long intervalMs;
    /** When the previous sweep ended (the sweeper's fixed delay counts from there), 0 before the first. */
    private long lastEnd;
    private long judgeFrom;

    /**
     * @param afterPeriods missed periods before a rack is offline
     * @param intervalMs how often the sweeper runs
     */
    OfflineRule(int afterPeriods, long intervalMs) {
        this.afterPeriods = afterPeriods;
        this.intervalMs = intervalMs;
    }

    /**
     * Called at the start of each sweep. The time since the previous sweep ended, beyond the
     * interval, is a stall: a sweep that itself took long (many racks written offline) is not one.
     *
     * @param now the sweep's time (epoch millis)
     * @return how long the Mixer was stalled before this sweep (ms beyond the interval), 0 when not
     */
    long sweepAt(long now) {
        long stalled = lastEnd == 0 ? 0 : now - lastEnd - intervalMs;
        if (stalled > STALL_MS) {
            judgeFrom = now;
            return stalled;
        }
        return 0;
    }

    /** @param now when the sweep ended (epoch millis), whether it succeeded or not */
    void swept(long now) {
        lastEnd = now;
    }

    /** @return whether {@code r} is online and silent for longer than its window, counted from the last stall's end */
    boolean late(RackRecord r, long now) {
        long period = r.heartbeatMillis() > 0 ? r.heartbeatMillis() : 5000;
        return RackRecord.ONLINE.equals(r.state()) && now - Math.max(r.lastSeen(), judgeFrom) > afterPeriods * period;
    }
}
