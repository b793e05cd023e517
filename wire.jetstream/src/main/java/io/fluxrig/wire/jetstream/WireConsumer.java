package io.fluxrig.wire.jetstream;

import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.cbor.CborException;
import io.fluxrig.msg.cbor.FluxMsgCbor;
import io.fluxrig.wire.WireDelivery;
import io.fluxrig.wire.WireHandler;
import io.fluxrig.wire.WireSubscription;
import io.nats.client.Connection;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscription: a durable pull consumer on a wire. A fetch thread owned by this object
 * (re)creates the consumer whenever the connection is (re)established, pulls as many messages
 * as there are free in-flight slots (1 in ordered mode; the server's max ack pending is the
 * same number) and hands each to a worker pool of that size, which decodes it and calls the
 * handler. Deliveries past max deliver, and payloads that do not decode, go to the dead-letter
 * wire instead of the handler. {@link #close()} stops the fetch thread, lets running handlers
 * finish, and naks (no delay) what was fetched but not started.
 *
 * <p>Threading: {@code lastReasons} is guarded by itself; {@code fullRounds} and {@code sub} are
 * written by the fetch thread only and read by anyone; everything else is confined to the fetch
 * thread or final.
 */
final class WireConsumer implements WireSubscription {
    private static final Logger LOG = LoggerFactory.getLogger(WireConsumer.class);
    /** How long a pull request stays open on the server. */
    static final Duration PULL_WAIT = Duration.ofMillis(500);
    /** How long past the pull's expiry the fetch thread waits for its 408 before pulling again. */
    static final Duration PULL_GRACE = Duration.ofMillis(20);
    private static final int REMEMBERED_REASONS = 10_000;

    private final NatsConnector connector;
    private final WireTracing tracing;
    private final StreamProvisioner provisioner;
    private final DeadLetters deadLetters;
    private final String wire;
    private final String durable;
    private final WireHandler handler;
    private final ConsumerSpec spec;
    private final FluxMsgCbor codec = FluxMsgCbor.standard();
    private final Semaphore slots;
    private final ThreadPoolExecutor workers;
    private final Thread fetcher;
    private final Map<Long, String> lastReasons = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
            return size() > REMEMBERED_REASONS;
        }
    };
    private volatile boolean closed;
    /** Deliveries handed to the handler, of them redeliveries, and messages dead-lettered (metrics). */
    final LongAdder delivered = new LongAdder();
    final LongAdder redelivered = new LongAdder();
    final LongAdder deadLettered = new LongAdder();
    /**
     * Fetch rounds that pulled nothing because every in-flight slot stayed held for a whole
     * {@link #PULL_WAIT}. It makes "a stalled handler stops the pulling" observable: a test waits
     * for it to advance instead of sleeping and hoping the loop ran.
     */
    private volatile long fullRounds;
    /** Written by the fetch thread (and close); volatile for {@link #broker}'s info requests. */
    private volatile JetStreamSubscription sub;
    /** The broker's pending counts of this consumer, for metrics ({@link BrokerView}). */
    final BrokerView broker = new BrokerView(() -> {
        JetStreamSubscription s = sub;
        return s == null ? null : s.getConsumerInfo();
    });
    private long setupGeneration = -1;

    WireConsumer(NatsConnector connector, StreamProvisioner provisioner, DeadLetters deadLetters, String wire,
            String consumer, WireHandler handler, WireTracing tracing) {
        this.tracing = tracing;
        this.connector = connector;
        this.provisioner = provisioner;
        this.deadLetters = deadLetters;
        this.wire = Names.wire(wire);
        this.durable = Names.durable(consumer);
        this.handler = handler;
        this.spec = provisioner.consumerSpec(wire);
        this.slots = new Semaphore(spec.inFlight());
        this.workers = new ThreadPoolExecutor(spec.inFlight(), spec.inFlight(), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "fluxrig-wire-" + durable);
                    t.setDaemon(true);
                    return t;
                });
        this.workers.allowCoreThreadTimeOut(true);
        this.fetcher = new Thread(this::fetchLoop, "fluxrig-wire-fetch-" + durable);
        this.fetcher.setDaemon(true);
    }

    /**
     * Sets the consumer up now when NATS is connected, so a conflict surfaces to the caller;
     * then starts the fetch thread, which retries the setup while NATS is unreachable.
     *
     * @throws WireConfigException when the stream or consumer conflicts with this rack's definition
     */
    void start() {
        Connection c = connector.connection();
        if (c != null) {
            try {
                setup(c);
            } catch (WireConfigException e) {
                throw e;
            } catch (Exception e) {
                LOG.debug("wire {}: setting up {} failed, the fetch thread retries", wire, durable, e);
            }
        }
        fetcher.start();
    }

    private void setup(Connection c) throws Exception {
        long gen = connector.generation();
        StreamProvisioner.Placement p = provisioner.place(c.jetStreamManagement(), wire);
        provisioner.ensureConsumer(c.jetStreamManagement(), p, durable, setupGeneration >= 0);
        if (sub == null) {
            sub = c.jetStream().subscribe(p.subject(), PullSubscribeOptions.bind(p.stream(), durable));
        }
        setupGeneration = gen;
    }

    private void fetchLoop() {
        long backoff = 100;
        while (!closed) {
            Connection c = connector.awaitConnected(PULL_WAIT);
            if (c == null) {
                continue;
            }
            try {
                if (sub == null || setupGeneration != connector.generation()) {
                    setup(c);
                }
                pullOnce();
                backoff = 100;
            } catch (WireConfigException e) {
                pause(30_000);
            } catch (Exception e) {
                if (closed) {
                    return;
                }
                LOG.debug("wire {}: {} fetch failed, re-creating the subscription", wire, durable, e);
                dropSubscription();
                provisioner.forget(wire);
                pause(backoff);
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    /**
     * One pull request of up to {@code n} messages ({@code n} free slots), expiring on the server
     * after {@link #PULL_WAIT}. The loop ends when the batch is full, when a terminal status (the
     * server's 408 at expiry) arrives, or at the pull's own deadline (expiry plus
     * {@link #PULL_GRACE}), whichever comes first; it never waits longer than that.
     *
     * <p>Why not jnats' {@code iterate(n, wait)}: its iterator waits up to {@code wait} for each
     * next message, counted from the previous one, and relies on the 408 to end the pull.
     * nats-server 2.9.10 (fixed upstream in later releases) can drop an expired pull request
     * without its 408 when a message is stored just as it expires; the iterator then waits up to
     * 500 ms after the last delivery while no request is open on the server, and every message
     * stored meanwhile waits with it (isolated ~500 ms stalls at 100-1000 TPS).
     *
     * <p>Messages delivered to an earlier pull after its loop ended stay in the subscription's
     * queue and are taken first by the next loop; the consumer's max ack pending (= the slots)
     * bounds how many can be there.
     */
    private void pullOnce() throws InterruptedException {
        if (!slots.tryAcquire(PULL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            fullRounds++; // the fetch thread is the only writer
            return;
        }
        int n = 1;
        while (n < spec.inFlight() && slots.tryAcquire()) {
            n++;
        }
        int used = 0;
        try {
            long deadline = System.nanoTime() + PULL_WAIT.toNanos() + PULL_GRACE.toNanos();
            sub.pullExpiresIn(n, PULL_WAIT);
            while (used < n && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                // null: a terminal status (this pull's 408, or a late one of an earlier pull) or the deadline
                Message m = sub.nextMessage(Duration.ofNanos(left));
                if (m == null) {
                    break;
                }
                if (!m.isJetStream()) {
                    continue;
                }
                used++;
                workers.execute(new Task(m));
            }
        } finally {
            slots.release(n - used);
        }
    }

    /** @return deliveries fetched and not yet finished by a worker (held slots) */
    int inFlight() {
        return spec.inFlight() - slots.availablePermits();
    }

    String wire() {
        return wire;
    }

    String durable() {
        return durable;
    }

    /** @return how many fetch rounds found every in-flight slot held and pulled nothing */
    long fullRounds() {
        return fullRounds;
    }

    /** A fetched message waiting for (or running on) a worker. */
    private final class Task implements Runnable {
        final Message message;

        Task(Message message) {
            this.message = message;
        }

        @Override
        public void run() {
            try {
                handle(message);
            } finally {
                slots.release();
            }
        }
    }

    private void handle(Message m) {
        int count = (int) Math.min(Integer.MAX_VALUE, m.metaData().deliveredCount());
        long seq = m.metaData().streamSequence();
        FluxMsg msg;
        try {
            msg = codec.decode(m.getData());
        } catch (CborException e) {
            if (deadLetters.send(m, wire, durable, count, "undecodable fluxMsg CBOR at offset " + e.offset() + ": "
                    + e.reason(), spec.nakDelay())) {
                deadLettered.increment();
            }
            return;
        }
        if (count > spec.maxDeliver()) {
            String reason = reason(seq);
            if (deadLetters.send(m, wire, durable, count, reason != null ? reason
                    : "delivered " + count + " times without an acknowledgement (ack wait expired)", spec.nakDelay())) {
                deadLettered.increment();
                forgetReason(seq);
            }
            return;
        }
        delivered.increment();
        if (count > 1) {
            redelivered.increment();
        }
        FluxMsg.Builder b = msg.toBuilder().meta(WireDelivery.META_DELIVERY_COUNT, Integer.toString(count))
                .meta(WireDelivery.META_WIRE, wire);
        WireTracing.Process span = tracing.process(wire, durable, msg,
                m.hasHeaders() ? m.getHeaders().getFirst(WireHeaders.TRACEPARENT) : null, m.getData().length, count);
        if (span == null) {
            deliver(m, b.build(), count);
            return;
        }
        try (span) {
            if (!deliver(m, b.trace(span.traceparent()).build(), count)) {
                span.failed(new IllegalStateException("the handler threw"));
            }
        }
    }

    /** @return false when the handler threw (the delivery was naked) */
    private boolean deliver(Message m, FluxMsg delivered, int count) {
        JetStreamDelivery d = new JetStreamDelivery(m, delivered, count, this);
        try {
            handler.onDelivery(d);
            return true;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            d.nak(spec.nakDelay(), "handler threw " + e);
            return false;
        }
    }

    /** A delivery was naked: redeliver later, or dead-letter it when it was the last allowed one. */
    void failed(Message m, int count, Duration delay, String reason) {
        long seq = m.metaData().streamSequence();
        synchronized (lastReasons) {
            lastReasons.put(seq, reason);
        }
        if (count < spec.maxDeliver()) {
            m.nakWithDelay(delay);
        } else if (deadLetters.send(m, wire, durable, count, reason, spec.nakDelay())) {
            deadLettered.increment();
            forgetReason(seq);
        }
    }

    private String reason(long seq) {
        synchronized (lastReasons) {
            return lastReasons.get(seq);
        }
    }

    private void forgetReason(long seq) {
        synchronized (lastReasons) {
            lastReasons.remove(seq);
        }
    }

    private void dropSubscription() {
        JetStreamSubscription s = sub;
        sub = null;
        if (s != null) {
            try {
                s.unsubscribe();
            } catch (RuntimeException e) {
                LOG.debug("wire {}: unsubscribe failed", wire, e);
            }
        }
    }

    private void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            closed = true;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        fetcher.interrupt();
        try {
            fetcher.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Runnable> notStarted = new ArrayList<>();
        workers.getQueue().drainTo(notStarted);
        workers.shutdown();
        for (Runnable r : notStarted) {
            ((Task) r).message.nak();
        }
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("wire {}: {} handlers still running after 5 s; their messages are redelivered after the ack wait",
                        wire, durable);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dropSubscription();
    }
}
