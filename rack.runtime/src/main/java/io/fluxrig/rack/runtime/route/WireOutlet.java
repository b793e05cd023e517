package io.fluxrig.rack.runtime.route;

import io.fluxrig.gear.BackPressureException;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.wire.WireTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes what gears emit on links to {@code wire:NAME}: the one owner of the publish path's
 * buffer, window, order and retries ({@link WireTransport}'s class description says so; a
 * transport's {@code publish} is one attempt). A message first enters a bounded
 * buffer (the emitter returns once it is there, or gets {@link BackPressureException} when the
 * buffer stays full). One publish task on the rack executor keeps up to {@value #WINDOW}
 * publishes in flight, and removes messages from the head only as their acknowledgements arrive,
 * in order; a failed or unacknowledged publish is retried (every second) from the first
 * unacknowledged message, so nothing is lost and the transport's message-id dedupe absorbs the
 * repeats. Order is kept, except that under a transport fault later messages of the window may
 * be stored before the retried one. Without a transport, messages wait.
 *
 * <p>When the emitting chain runs for a wire delivery ({@link DeliveryScope}), that delivery also
 * waits for this message's acknowledgement before it is itself acknowledged.
 *
 * <p>Threading: {@code transport} is volatile, set by the router; {@code draining} guarantees a
 * single publish task.
 */
final class WireOutlet implements Target {
    private static final Logger LOG = LoggerFactory.getLogger(WireOutlet.class);
    private static final long RETRY_MS = 1_000;
    /** A hang guard: a transport fails an unacknowledged publish by itself, sooner (JetStream: its ack timeout). */
    private static final long ACK_WAIT_MS = 10_000;
    /** Publishes in flight at once: enough to hide the transport's round trip at switch rates. */
    static final int WINDOW = 128;

    /** A waiting message and, when a wire delivery waits for it, that delivery's future. */
    private record Pending(FluxMsg msg, CompletableFuture<Void> acked) {
        void done() {
            if (acked != null) {
                acked.complete(null);
            }
        }

        void abandon(String why) {
            if (acked != null) {
                acked.completeExceptionally(new IllegalStateException(why));
            }
        }
    }

    final String wire;
    private final Dispatcher dispatcher;
    private final BoundedBuffer<Pending> buffer;
    private final long backPressureNanos;
    private final Executor executor;
    private final ScheduledExecutorService delays;
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile WireTransport transport;
    private volatile boolean failing;

    WireOutlet(String wire, Dispatcher dispatcher, int capacity, long backPressureMillis, Executor executor,
            ScheduledExecutorService delays) {
        this.wire = wire;
        this.dispatcher = dispatcher;
        this.buffer = new BoundedBuffer<>(capacity);
        this.backPressureNanos = BoundedBuffer.nanos(backPressureMillis);
        this.executor = executor;
        this.delays = delays;
    }

    @Override
    public void accept(FluxMsg msg) {
        DeliveryScope scope = dispatcher.wireDelivery();
        CompletableFuture<Void> acked = scope == null ? null : new CompletableFuture<>();
        try {
            if (!buffer.put(new Pending(msg, acked), backPressureNanos)) {
                throw new BackPressureException("wire " + wire + ": buffer full (" + buffer.capacity()
                        + " messages waiting), waited " + backPressureNanos / 1_000_000 + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackPressureException("wire " + wire + ": interrupted while waiting for buffer space");
        }
        if (scope != null) {
            scope.awaitPublish(acked);
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

    /** Drops what waits (the link left the patch or the rack stops); waiting deliveries fail. */
    int discard() {
        List<Pending> dropped = buffer.drain();
        dropped.forEach(p -> p.abandon("wire " + wire + " is gone from the patch or the rack stopped"));
        return dropped.size();
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
            List<Pending> window = t == null ? List.of() : buffer.peekFirst(WINDOW);
            if (window.isEmpty()) {
                draining.set(false);
                if (buffer.size() > 0 && transport != null && draining.compareAndSet(false, true)) {
                    continue;
                }
                return;
            }
            List<CompletableFuture<Void>> acks = new ArrayList<>(window.size());
            for (Pending p : window) {
                acks.add(send(t, p.msg()));
            }
            for (int i = 0; i < window.size(); i++) {
                try {
                    acks.get(i).get(ACK_WAIT_MS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    draining.set(false);
                    return;
                } catch (Exception e) {
                    retryLater(e);
                    return;
                }
                buffer.removeHead();
                window.get(i).done();
            }
            if (failing) {
                failing = false;
                LOG.info("wire {}: publishing again", wire);
            }
        }
    }

    private CompletableFuture<Void> send(WireTransport t, FluxMsg msg) {
        try {
            return t.publish(wire, msg).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void retryLater(Exception e) {
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
    }
}
