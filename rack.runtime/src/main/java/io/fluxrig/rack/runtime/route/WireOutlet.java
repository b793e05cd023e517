package io.fluxrig.rack.runtime.route;

import io.fluxrig.gear.BackPressureException;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.wire.WireTransport;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes what gears emit on links to {@code wire:NAME}. A message first enters a bounded
 * buffer (the emitter returns once it is there, or gets {@link BackPressureException} when the
 * buffer stays full); one publish task on the rack executor sends the head, waits for the
 * transport's acknowledgement, and only then removes it, so order is kept and a failed publish
 * is retried (every second) instead of lost. Without a transport, messages wait.
 *
 * <p>Threading: {@code transport} is volatile, set by the router; {@code draining} guarantees a
 * single publish task.
 */
final class WireOutlet implements Target {
    private static final Logger LOG = LoggerFactory.getLogger(WireOutlet.class);
    private static final long RETRY_MS = 1_000;
    private static final long ACK_WAIT_MS = 10_000;

    final String wire;
    private final BoundedBuffer<FluxMsg> buffer;
    private final long backPressureNanos;
    private final Executor executor;
    private final ScheduledExecutorService delays;
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile WireTransport transport;
    private volatile boolean failing;

    WireOutlet(String wire, int capacity, long backPressureMillis, Executor executor, ScheduledExecutorService delays) {
        this.wire = wire;
        this.buffer = new BoundedBuffer<>(capacity);
        this.backPressureNanos = BoundedBuffer.nanos(backPressureMillis);
        this.executor = executor;
        this.delays = delays;
    }

    @Override
    public void accept(FluxMsg msg) {
        try {
            if (!buffer.put(msg, backPressureNanos)) {
                throw new BackPressureException("wire " + wire + ": buffer full (" + buffer.capacity()
                        + " messages waiting), waited " + backPressureNanos / 1_000_000 + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackPressureException("wire " + wire + ": interrupted while waiting for buffer space");
        }
        if (transport != null) {
            schedule();
        }
    }

    void transport(WireTransport t) {
        transport = t;
        if (t != null && buffer.size() > 0) {
            schedule();
        }
    }

    int buffered() {
        return buffer.size();
    }

    int discard() {
        return buffer.clear();
    }

    private void schedule() {
        if (draining.compareAndSet(false, true)) {
            submit();
        }
    }

    private void submit() {
        try {
            executor.execute(this::publish);
        } catch (RejectedExecutionException shutDown) {
            draining.set(false);
        }
    }

    private void publish() {
        while (true) {
            WireTransport t = transport;
            FluxMsg m = buffer.peek();
            if (m == null || t == null) {
                draining.set(false);
                if (buffer.size() > 0 && transport != null && draining.compareAndSet(false, true)) {
                    continue;
                }
                return;
            }
            try {
                t.publish(wire, m).toCompletableFuture().get(ACK_WAIT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                draining.set(false);
                return;
            } catch (Exception e) {
                if (!failing) {
                    failing = true;
                    LOG.warn("wire {}: publish failed, retrying every {} ms ({} waiting): {}", wire, RETRY_MS,
                            buffer.size(), e.toString());
                }
                try {
                    delays.schedule(this::submit, RETRY_MS, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException shutDown) {
                    draining.set(false);
                }
                return;
            }
            if (failing) {
                failing = false;
                LOG.info("wire {}: publishing again", wire);
            }
            buffer.removeHead();
        }
    }
}
