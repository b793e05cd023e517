package io.fluxrig.rack.runtime.route;

import io.fluxrig.msg.FluxMsg;
import io.fluxrig.wire.WireDelivery;
import io.fluxrig.wire.WireHandler;
import io.fluxrig.wire.WireSubscription;
import io.fluxrig.wire.WireTransport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A test-only in-memory transport: publishes are recorded per wire (or fail while
 * {@code failing} is set); {@link #deliver} pushes a message to a wire's subscriber on the
 * calling thread and reports whether it was acked or naked.
 */
final class MemoryWireTransport implements WireTransport {
    final Map<String, List<FluxMsg>> published = new ConcurrentHashMap<>();
    final Map<String, WireHandler> subscribers = new ConcurrentHashMap<>();
    final List<String> consumers = new CopyOnWriteArrayList<>();
    volatile boolean failing;
    /** Publishes refused while {@code failing} was set. */
    final java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
    /** Subscribe calls that fail before one succeeds (to test the rack's retry). */
    final java.util.concurrent.atomic.AtomicInteger subscribeFailures = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public CompletionStage<Void> publish(String wire, FluxMsg msg) {
        if (failing) {
            refused.incrementAndGet();
            return CompletableFuture.failedFuture(new IllegalStateException("broker down"));
        }
        published.computeIfAbsent(wire, w -> new CopyOnWriteArrayList<>()).add(msg);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public WireSubscription subscribe(String wire, String consumer, WireHandler handler) {
        if (subscribeFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("not connected");
        }
        subscribers.put(wire, handler);
        consumers.add(consumer);
        return () -> subscribers.remove(wire, handler);
    }

    /**
     * Pushes one delivery to a wire's subscriber on the calling thread, without waiting for its
     * outcome: the future completes with "ack" or "nak DELAY: reason" when the rack settles it.
     */
    CompletableFuture<String> deliverAsync(String wire, FluxMsg msg) {
        WireHandler h = subscribers.get(wire);
        if (h == null) {
            return CompletableFuture.completedFuture("no subscriber");
        }
        CompletableFuture<String> outcome = new CompletableFuture<>();
        h.onDelivery(new WireDelivery() {
            @Override
            public FluxMsg msg() {
                return msg;
            }

            @Override
            public int deliveryCount() {
                return 1;
            }

            @Override
            public void ack() {
                outcome.complete("ack");
            }

            @Override
            public void nak(Duration delay, String reason) {
                outcome.complete("nak " + delay.toMillis() + ": " + reason);
            }
        });
        return outcome;
    }

    /** Outcome of one delivery, waiting up to 5 s for it: "ack", "nak DELAY: reason", or "none". */
    String deliver(String wire, FluxMsg msg) {
        return deliver(wire, msg, 5_000);
    }

    /** Outcome of one delivery after waiting up to {@code waitMillis} for the ack or nak. */
    String deliver(String wire, FluxMsg msg, long waitMillis) {
        WireHandler h = subscribers.get(wire);
        if (h == null) {
            return "no subscriber";
        }
        String[] outcome = {"none"};
        AtomicBoolean settled = new AtomicBoolean();
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        h.onDelivery(new WireDelivery() {
            @Override
            public FluxMsg msg() {
                return msg;
            }

            @Override
            public int deliveryCount() {
                return 1;
            }

            @Override
            public void ack() {
                if (settled.compareAndSet(false, true)) {
                    outcome[0] = "ack";
                    done.countDown();
                }
            }

            @Override
            public void nak(Duration delay, String reason) {
                if (settled.compareAndSet(false, true)) {
                    outcome[0] = "nak " + delay.toMillis() + ": " + reason;
                    done.countDown();
                }
            }
        });
        try {
            done.await(waitMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (outcome) {
            return outcome[0];
        }
    }
}
