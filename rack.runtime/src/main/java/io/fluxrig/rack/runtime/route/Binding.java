package io.fluxrig.rack.runtime.route;

import io.fluxrig.gear.Gear;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gear service bound to an inlet, from {@link Gear#open} to {@link Gear#close}.
 *
 * <p>In-flight accounting: every call into the gear is bracketed by {@link #enter()} /
 * {@link #exit()} (an atomic counter, no allocation). {@link #close} first marks the binding
 * closed, so no new call enters, then waits (bounded) until the calls already inside have
 * returned, and only then closes the gear: in-flight work finishes on the old instance.
 * Both {@code closing} and {@code inflight} are volatile/atomic, so a caller that enters
 * concurrently with close either is seen by close or sees closing and backs out.
 */
final class Binding {
    private static final Logger LOG = LoggerFactory.getLogger(Binding.class);

    final Gear gear;
    final RackGearContext context;
    final String bundle;
    private final AtomicInteger inflight = new AtomicInteger();
    private volatile boolean closing;

    Binding(Gear gear, RackGearContext context, String bundle) {
        this.gear = gear;
        this.context = context;
        this.bundle = bundle;
    }

    /** @return true when the caller may call the gear (and must then call {@link #exit()}) */
    boolean enter() {
        inflight.incrementAndGet();
        if (closing) {
            exit();
            return false;
        }
        return true;
    }

    void exit() {
        if (inflight.decrementAndGet() == 0 && closing) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /**
     * Stops new calls, waits up to {@code waitMillis} for in-flight calls, then closes the gear
     * and its context. Never throws.
     *
     * @param instance the instance name, for the log
     * @param waitMillis the longest wait for in-flight calls
     */
    void close(String instance, long waitMillis) {
        closing = true;
        long deadline = System.nanoTime() + waitMillis * 1_000_000L;
        synchronized (this) {
            while (inflight.get() > 0) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    LOG.warn("gear {}: {} call(s) still running after {} ms; closing anyway", instance,
                            inflight.get(), waitMillis);
                    break;
                }
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        try {
            gear.close();
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("gear {}: close failed", instance, e);
        } finally {
            context.close();
        }
    }
}
