package io.fluxrig.gear.basic;

import io.fluxrig.gear.Gear;
import io.fluxrig.gear.GearContext;
import io.fluxrig.msg.FluxMsg;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a timer instance, from {@link Gear#open} to {@link Gear#close}.
 *
 * <p>Threading and ownership: owns one daemon scheduler thread; {@link #tick()} only ever runs on
 * it, so {@code seq}, {@code pending} and {@code blocked} need no locking. A message refused with
 * {@link io.fluxrig.gear.BackPressureException} is kept in {@code pending} and emitted again on the next tick, so
 * a sequence number is never skipped; the refusal is logged once per episode.
 */
final class TimerTicker {
    private static final Logger LOG = LoggerFactory.getLogger(TimerTicker.class);
    private static final long STOP_WAIT_MS = 5_000;

    private final GearContext context;
    private final long intervalMs;
    private final long count;
    private final String text;
    private final ScheduledExecutorService scheduler;
    private long seq = 1;
    private FluxMsg pending;
    private boolean blocked;

    TimerTicker(GearContext context, long intervalMs, long count, String text) {
        this.context = context;
        this.intervalMs = intervalMs;
        this.count = count;
        this.text = text;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fluxrig-timer-" + context.instance());
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        scheduler.scheduleWithFixedDelay(this::tick, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    /** @return true once the ticker has stopped: at its count, or by {@link #stop()} */
    boolean finished() {
        return scheduler.isTerminated();
    }

    /** Stops the scheduler and waits (bounded) for a running tick to finish. */
    void stop() {
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(STOP_WAIT_MS, TimeUnit.MILLISECONDS)) {
                LOG.warn("timer {}: tick still running {} ms after stop", context.instance(), STOP_WAIT_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void tick() {
        if (pending == null) {
            if (count > 0 && seq > count) {
                scheduler.shutdown();
                return;
            }
            FluxMsg.Builder b = FluxMsg.builder().src(context.instance())
                    .data("seq", seq).data("at", Instant.now().toString());
            if (text != null) {
                b.data("text", text);
            }
            pending = b.build();
        }
        try {
            context.emit(Gear.PORT_OUT, pending);
        } catch (IllegalStateException e) {
            // The context was closed under us (the rack unlinked this instance): stop quietly.
            scheduler.shutdown();
            return;
        } catch (RuntimeException e) {
            // BackPressureException is the expected case; any other failure is retried the same
            // way, because an exception escaping a scheduled task would silently end the timer.
            if (!blocked) {
                blocked = true;
                LOG.warn("timer {}: seq {} not taken downstream, retrying every {} ms: {}",
                        context.instance(), seq, intervalMs, e.toString());
            }
            return;
        }
        if (blocked) {
            blocked = false;
            LOG.info("timer {}: downstream took seq {} again", context.instance(), seq);
        }
        pending = null;
        seq++;
        if (count > 0 && seq > count) {
            scheduler.shutdown();
        }
    }
}
