package io.fluxrig.rack.runtime.route;

import io.fluxrig.gear.BackPressureException;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.wire.WireTransport;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes what gears emit on links to {@code wire:NAME}: the one owner of the publish path's
 * buffer, window, order and retries ({@link WireTransport}'s class description says so; a
 * transport's {@code publish} is one attempt). A message first enters a bounded
 * buffer (the emitter returns once it is there, or gets {@link BackPressureException} when the
 * buffer stays full). One publish task on the rack executor keeps up to {@value #WINDOW}
 * publishes in flight as a sliding window: a message that arrives while earlier ones wait for
 * their acknowledgements is sent at once (it does not wait for the window to empty), and
 * messages leave the head only as their acknowledgements arrive, in order; a failed or
 * unacknowledged publish is retried (every second) from the first unacknowledged message, so
 * nothing is lost and the transport's message-id dedupe absorbs the repeats. Order is kept, except that under a transport fault later messages of the window may
 * be stored before the retried one. Without a transport, messages wait.
 *
 * <p>When the emitting chain runs for a wire delivery ({@link DeliveryScope}), that delivery also
 * waits for this message's acknowledgement before it is itself acknowledged.
 *
 * <p>Threading: {@code transport} is volatile, set by the router; {@code draining} guarantees a
 * single publish task, which alone sends and removes; {@code wake} is released by emitters and
 * by acknowledgements (any thread) to rouse the publish task while it waits.
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
    /** Rouses the publish task waiting for its head's ack: a new message to send, or an ack arrived. */
    private final Semaphore wake = new Semaphore(0);
    private volatile WireTransport transport;
    private volatile boolean failing;
    /** Changed by {@link #discard()}: what the publish task had in flight is no longer at the head. */
    private volatile int epoch;

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
            if (draining.get()) {
                wake.release(); // the publish task may be waiting for an ack: send this one now
            }
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
        epoch++;
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

    /** A publish sent and not yet settled: its result and when it was sent. */
    private record Sent(CompletableFuture<Void> ack, long sentNanos) {
    }

    /**
     * The publish task: sends what is unsent (up to {@value #WINDOW} unacknowledged), then waits
     * until the oldest publish is acknowledged or a new message arrives, and removes acknowledged
     * messages from the head in order. Runs until nothing is buffered; a failure hands over to
     * {@link #retryLater}, which starts a new task that resends from the head.
     */
    private void publish() {
        ArrayDeque<Sent> inFlight = new ArrayDeque<>(); // the first inFlight.size() buffered messages, in order
        int seen = epoch;
        while (true) {
            if (seen != epoch) { // discarded meanwhile: those in flight left the buffer
                seen = epoch;
                inFlight.clear();
            }
            WireTransport t = transport;
            if (t != null && inFlight.size() < WINDOW) {
                for (Pending p : buffer.peekAfter(inFlight.size(), WINDOW - inFlight.size())) {
                    CompletableFuture<Void> ack = send(t, p.msg());
                    ack.whenComplete((ok, error) -> wake.release());
                    inFlight.add(new Sent(ack, System.nanoTime()));
                }
            }
            if (inFlight.isEmpty()) {
                draining.set(false);
                if (buffer.size() > 0 && transport != null && draining.compareAndSet(false, true)) {
                    continue;
                }
                return;
            }
            Sent head = inFlight.peekFirst();
            if (!head.ack().isDone()) {
                long left = TimeUnit.MILLISECONDS.toNanos(ACK_WAIT_MS) - (System.nanoTime() - head.sentNanos());
                if (left <= 0) {
                    retryLater(new TimeoutException("no acknowledgement within " + ACK_WAIT_MS + " ms"));
                    return;
                }
                try {
                    wake.tryAcquire(left, TimeUnit.NANOSECONDS);
                    wake.drainPermits();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    draining.set(false);
                    return;
                }
            }
            while (!inFlight.isEmpty() && inFlight.peekFirst().ack().isDone()) {
                Sent done = inFlight.pollFirst();
                try {
                    done.ack().get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    draining.set(false);
                    return;
                } catch (ExecutionException e) {
                    retryLater(e.getCause() instanceof Exception x ? x : e);
                    return;
                }
                Pending p = buffer.peek();
                buffer.removeHead();
                if (p != null) {
                    p.done();
                }
                if (failing) {
                    failing = false;
                    LOG.info("wire {}: publishing again", wire);
                }
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
