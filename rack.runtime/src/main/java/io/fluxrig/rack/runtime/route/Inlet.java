package io.fluxrig.rack.runtime.route;

import io.fluxrig.gear.BackPressureException;
import io.fluxrig.gear.GearRejection;
import io.fluxrig.msg.FluxMsg;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry of one gear instance of the patch; it outlives the gear services bound to it.
 *
 * <p><b>Fast path.</b> With a gear bound and nothing waiting, {@link #deliver} calls the gear's
 * {@code onMessage} synchronously on the caller's thread: a volatile read, a counter increment
 * and the call; no copy, no allocation.
 *
 * <p><b>Waiting.</b> With no gear bound (not yet deployed, being updated), messages wait in a
 * bounded FIFO; while it is not empty, new messages queue behind it so order is kept. When a gear
 * binds, one drain task on the rack executor feeds the buffer into it, removing each message only
 * after the gear handled it. A full buffer blocks the emitter for the back-pressure time, then
 * throws {@link BackPressureException}: nothing is dropped silently. A chain that started from a
 * wire delivery never waits here: it fails at once, so the delivery is redelivered rather than
 * acknowledged while held in memory (see {@link DeliveryScope}).
 *
 * <p>Threading: {@code bound} is volatile and replaced only by the router (under its lock);
 * {@code draining} guarantees at most one drain task.
 */
final class Inlet {
    private static final Logger LOG = LoggerFactory.getLogger(Inlet.class);
    private static final long DRAIN_RETRY_MS = 200;

    private record Pending(String port, FluxMsg msg) {
    }

    final String name;
    final GearStats stats = new GearStats();
    private final Dispatcher dispatcher;
    private final BoundedBuffer<Pending> buffer;
    private final long backPressureNanos;
    private final Executor executor;
    private final ScheduledExecutorService delays;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final RateLimit drainLog = new RateLimit(10_000);
    /** Rate-limits the log of failures that have no error link. */
    final RateLimit errorLog = new RateLimit(10_000);
    private volatile Binding bound;
    volatile String failure;

    Inlet(String name, Dispatcher dispatcher, int capacity, long backPressureMillis, Executor executor,
            ScheduledExecutorService delays) {
        this.name = name;
        this.dispatcher = dispatcher;
        this.buffer = new BoundedBuffer<>(capacity);
        this.backPressureNanos = BoundedBuffer.nanos(backPressureMillis);
        this.executor = executor;
        this.delays = delays;
    }

    /**
     * Delivers a message to the gear now, or queues it behind those already waiting.
     *
     * @throws BackPressureException when the buffer stayed full for the back-pressure time
     */
    void deliver(String port, FluxMsg msg) {
        if (tryDeliverDirect(port, msg)) {
            return;
        }
        if (dispatcher.wireDelivery() != null) {
            // Buffering would let the wire delivery be acknowledged while its message exists only
            // in memory; refuse instead, so the transport redelivers it once the gear is back.
            throw new BackPressureException("gear " + name + (bound == null ? " is not bound" : " has messages waiting")
                    + ": the wire delivery is refused, not held in memory, and will be redelivered");
        }
        try {
            if (!buffer.put(new Pending(port, msg), backPressureNanos)) {
                throw new BackPressureException("gear " + name + ": buffer full (" + buffer.capacity()
                        + " messages waiting), waited " + backPressureNanos / 1_000_000 + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackPressureException("gear " + name + ": interrupted while waiting for buffer space");
        }
        if (bound != null) {
            scheduleDrain();
        }
    }

    /**
     * @return true when the gear was bound, nothing was waiting, and it was called; false
     *     (nothing done) otherwise
     * @throws BackPressureException from the gear's own downstream
     */
    boolean tryDeliverDirect(String port, FluxMsg msg) {
        Binding b = bound;
        if (b == null || buffer.size() != 0 || !b.enter()) {
            return false;
        }
        try {
            dispatcher.invoke(this, b, port, msg);
        } finally {
            b.exit();
        }
        return true;
    }

    /** Binds a gear (already opened) and starts draining what waited for it. Router lock held. */
    void attach(Binding b) {
        failure = null;
        bound = b;
        if (buffer.size() > 0) {
            scheduleDrain();
        }
    }

    /** @return the binding, now detached (new messages wait), or null. Router lock held. */
    Binding detach() {
        Binding b = bound;
        bound = null;
        return b;
    }

    Binding bound() {
        return bound;
    }

    int buffered() {
        return buffer.size();
    }

    /** @return how many waiting messages were dropped because the instance left the patch */
    int discard() {
        return buffer.clear();
    }

    private void scheduleDrain() {
        if (draining.compareAndSet(false, true)) {
            submit();
        }
    }

    private void submit() {
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException shutDown) {
            draining.set(false);
        }
    }

    private void drain() {
        while (true) {
            Binding b = bound;
            Pending p = buffer.peek();
            if (p == null || b == null || !b.enter()) {
                draining.set(false);
                // An emit may have queued after our peek and seen draining still true: re-check.
                if (buffer.size() > 0 && bound != null && draining.compareAndSet(false, true)) {
                    continue;
                }
                return;
            }
            try {
                dispatcher.invoke(this, b, p.port(), p.msg());
            } catch (BackPressureException e) {
                // The gear's own downstream is full: keep the message at the head, try again soon.
                if (drainLog.tryAcquire() >= 0) {
                    LOG.warn("gear {}: downstream full while draining, retrying: {}", name, e.getMessage());
                }
                delays.schedule(this::submit, DRAIN_RETRY_MS, TimeUnit.MILLISECONDS);
                return;
            } finally {
                b.exit();
            }
            buffer.removeHead();
        }
    }
}
