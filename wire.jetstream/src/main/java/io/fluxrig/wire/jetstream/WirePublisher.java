package io.fluxrig.wire.jetstream;

import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.cbor.FluxMsgCbor;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes wire messages with {@code Nats-Msg-Id} and {@code expectedStream}. {@link #publish}
 * encodes on the caller's thread, then, when nothing is waiting, NATS is connected, the wire's
 * stream is already provisioned and a slot of the in-flight window is free, sends at once from
 * the caller's thread ({@code publishAsync}, which only hands the bytes to jnats' writer: no
 * network wait). Otherwise it queues (or fails at once when the bounded buffer is full), and one
 * sender thread owned by this object sends the queue head when those conditions hold. The
 * result completes on JetStream's ack; an ack timeout or a transient error puts the message
 * back at the head and sends it again with the same Msg-Id (the server deduplicates), until
 * the publish timeout, after which it fails naming why.
 *
 * <p>Order: messages are sent in the order of their {@code publish} calls: a caller sends
 * directly only while the queue is empty and the sender is not between taking the head and
 * handing it to jnats ({@code senderSending}), so a direct send never overtakes a queued one.
 * A retried message may land after messages sent while it was in flight, so a caller that
 * needs strict order keeps one publish in flight per wire (the rack's WireOutlet does).
 * Results complete on jnats threads (or, for "closed"/"buffer full", on the caller's):
 * dependent actions must not block. {@code lock} guards the queue and {@code senderSending}.
 *
 * <p>The {@link JetStream} and {@link JetStreamManagement} contexts are built once per
 * connection generation ({@link NatsConnector#generation()}, changed by every (re)connect), not
 * per message: jnats parses the server version with regular expressions in each constructor.
 */
final class WirePublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WirePublisher.class);

    private record Pending(String wire, byte[] data, Headers headers, long deadline, CompletableFuture<Void> result) {
    }

    /** A publish handed to jnats and not yet acknowledged; identity equality. */
    private static final class InFlight {
        final CompletableFuture<PublishAck> ack;
        final long deadline;

        InFlight(CompletableFuture<PublishAck> ack, long deadline) {
            this.ack = ack;
            this.deadline = deadline;
        }
    }

    /** The JetStream contexts of one connection generation. */
    private record Contexts(Connection connection, long generation, JetStream js, JetStreamManagement jsm) {
    }

    private final NatsConnector connector;
    private final StreamProvisioner provisioner;
    private final TransportSettings settings;
    private final FluxMsgCbor codec = FluxMsgCbor.standard();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final Object lock = new Object();
    private final Semaphore window;
    private final Thread sender;
    private final Map<String, PublishOptions> optionsByStream = new ConcurrentHashMap<>();
    private final long ackTimeoutNanos;
    private final long sweepMs;
    private final Executor sweepTimer;
    private final Set<InFlight> inFlight = ConcurrentHashMap.newKeySet();
    private volatile Contexts contexts;
    private volatile boolean closed;
    /** The sender has taken the queue head and not yet handed it to jnats (guarded by lock). */
    private boolean senderSending;

    private final LongAdder acked = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder direct = new LongAdder();

    WirePublisher(NatsConnector connector, StreamProvisioner provisioner, TransportSettings settings) {
        this.connector = connector;
        this.provisioner = provisioner;
        this.settings = settings;
        this.window = new Semaphore(settings.maxInFlight());
        this.ackTimeoutNanos = settings.ackTimeout().toNanos();
        this.sweepMs = Math.max(5, Math.min(50, settings.ackTimeout().toMillis() / 10));
        // The JDK's shared CompletableFuture delay thread, as orTimeout used; the sweep runs on it.
        this.sweepTimer = CompletableFuture.delayedExecutor(sweepMs, TimeUnit.MILLISECONDS, Runnable::run);
        this.sender = new Thread(this::sendLoop, "fluxrig-jetstream-publish");
        this.sender.setDaemon(true);
    }

    void start() {
        sender.start();
        sweepTimer.execute(this::sweep);
    }

    CompletableFuture<Void> publish(String wire, FluxMsg msg) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        byte[] data;
        try {
            Names.wire(wire);
            data = codec.encode(msg);
        } catch (IllegalArgumentException e) {
            result.completeExceptionally(e);
            return result;
        }
        return enqueue(new Pending(wire, data, WireHeaders.forMessage(msg),
                System.nanoTime() + settings.publishTimeout().toNanos(), result));
    }

    /** Publishes already-encoded bytes with the given headers (dead letters). */
    CompletableFuture<Void> publishRaw(String wire, byte[] data, Headers headers) {
        return enqueue(new Pending(wire, data, headers, System.nanoTime() + settings.publishTimeout().toNanos(),
                new CompletableFuture<>()));
    }

    private CompletableFuture<Void> enqueue(Pending p) {
        Connection c = null;
        StreamProvisioner.Placement placement = null;
        synchronized (lock) {
            if (closed) {
                p.result.completeExceptionally(new IllegalStateException("wire " + p.wire + ": transport closed"));
                return p.result;
            }
            if (queue.isEmpty() && !senderSending && (c = connector.connection()) != null
                    && (placement = provisioner.cached(p.wire)) != null && window.tryAcquire()) {
                // direct: fall through to send outside the lock
            } else if (queue.size() >= settings.bufferCapacity()) {
                p.result.completeExceptionally(new IllegalStateException("wire " + p.wire + ": publish buffer full ("
                        + queue.size() + " messages waiting; NATS " + connector.describe() + ")"));
                return p.result;
            } else {
                queue.addLast(p);
                if (queue.size() == 1) {
                    lock.notifyAll();
                }
                return p.result;
            }
        }
        Contexts ctx;
        try {
            ctx = contexts(c);
        } catch (IOException | RuntimeException e) {
            window.release();
            retry(p, e);
            return p.result;
        }
        direct.increment();
        send(ctx, placement, p);
        return p.result;
    }

    /** @return the contexts of this connection generation, built on first use */
    private Contexts contexts(Connection c) throws IOException {
        long generation = connector.generation();
        Contexts ctx = contexts;
        if (ctx == null || ctx.connection != c || ctx.generation != generation) {
            ctx = new Contexts(c, generation, c.jetStream(), c.jetStreamManagement());
            contexts = ctx;
        }
        return ctx;
    }

    private PublishOptions options(String stream) {
        return optionsByStream.computeIfAbsent(stream, s -> PublishOptions.builder().expectedStream(s)
                .streamTimeout(settings.ackTimeout()).build());
    }

    private void sendLoop() {
        while (!closed) {
            Pending p;
            synchronized (lock) {
                while (queue.isEmpty() && !closed) {
                    await(1000);
                }
                p = queue.peekFirst();
            }
            if (p == null) {
                continue;
            }
            if (System.nanoTime() - p.deadline >= 0) {
                expire(p, "no acknowledgement within the publish timeout of " + settings.publishTimeout().toMillis()
                        + " ms; NATS " + connector.describe());
                continue;
            }
            Connection c = connector.awaitConnected(Duration.ofMillis(100));
            if (c == null) {
                continue;
            }
            Contexts ctx;
            StreamProvisioner.Placement placement;
            try {
                ctx = contexts(c);
                placement = provisioner.place(ctx.jsm, p.wire);
            } catch (WireConfigException e) {
                expire(p, e.getMessage());
                continue;
            } catch (IOException | JetStreamApiException | RuntimeException e) {
                LOG.debug("wire {}: provisioning failed, retrying", p.wire, e);
                pause(100);
                continue;
            }
            if (!acquire()) {
                continue;
            }
            synchronized (lock) {
                if (queue.peekFirst() != p) {
                    window.release();
                    continue;
                }
                queue.pollFirst();
                senderSending = true;
            }
            try {
                send(ctx, placement, p);
            } finally {
                synchronized (lock) {
                    senderSending = false;
                }
            }
        }
    }

    /** Hands the message to jnats; the window slot is taken. Never blocks on the network. */
    private void send(Contexts ctx, StreamProvisioner.Placement placement, Pending p) {
        CompletableFuture<PublishAck> ack;
        try {
            ack = ctx.js.publishAsync(placement.subject(), p.headers, p.data, options(placement.stream()));
        } catch (RuntimeException e) {
            window.release();
            retry(p, e);
            return;
        }
        InFlight f = new InFlight(ack, System.nanoTime() + ackTimeoutNanos);
        inFlight.add(f);
        ack.whenComplete((a, error) -> {
            inFlight.remove(f);
            window.release();
            if (error == null) {
                acked.increment();
                if (a.isDuplicate()) {
                    duplicates.increment();
                }
                p.result.complete(null);
            } else {
                retry(p, unwrap(error));
            }
        });
    }

    /**
     * Every {@code sweepMs}: fails the acks older than the ack timeout with a TimeoutException
     * (their completion then sends them again), as {@code orTimeout} did per message, but
     * without scheduling (and waking the timer thread for) one task per publish.
     */
    private void sweep() {
        if (closed) {
            return;
        }
        try {
            long now = System.nanoTime();
            for (InFlight f : inFlight) {
                if (f.ack.isDone()) {
                    inFlight.remove(f); // acknowledged before it was registered
                } else if (now - f.deadline >= 0) {
                    f.ack.completeExceptionally(new TimeoutException("no JetStream ack within " + settings.ackTimeout().toMillis() + " ms"));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("wire.jetstream: ack timeout sweep failed", e);
        } finally {
            if (!closed) {
                sweepTimer.execute(this::sweep);
            }
        }
    }

    private void retry(Pending p, Throwable error) {
        if (error instanceof JetStreamApiException api && api.getApiErrorCode() != 10060 /* wrong expected stream: re-place */) {
            p.result.completeExceptionally(new IllegalStateException("wire " + p.wire + ": JetStream refused the message: "
                    + api.getErrorDescription() + " (code " + api.getApiErrorCode() + ")", api));
            return;
        }
        retries.increment();
        if (!(error instanceof TimeoutException)) {
            // e.g. 503 no responders: the stream may have gone (memory storage after a restart).
            provisioner.forget(p.wire);
        }
        LOG.debug("wire {}: publish not acknowledged ({}), sending again with the same Msg-Id", p.wire, error.toString());
        synchronized (lock) {
            if (closed) {
                p.result.completeExceptionally(new IllegalStateException("wire " + p.wire + ": transport closed"));
                return;
            }
            queue.addFirst(p);
            lock.notifyAll();
        }
    }

    private void expire(Pending p, String why) {
        synchronized (lock) {
            if (!queue.remove(p)) {
                return;
            }
        }
        p.result.completeExceptionally(new IllegalStateException("wire " + p.wire + ": " + why));
    }

    private boolean acquire() {
        try {
            return window.tryAcquire(100, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            closed = true;
            return false;
        }
    }

    private void await(long ms) {
        try {
            lock.wait(ms);
        } catch (InterruptedException e) {
            closed = true;
        }
    }

    private void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            closed = true;
        }
    }

    /** jnats' publishAsync completes with {@code RuntimeException(JetStreamApiException)}: unwrap that too. */
    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException
                || t.getClass() == RuntimeException.class && t.getCause() instanceof JetStreamApiException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** @return counters: acknowledged, of which duplicates, retries, waiting */
    String describe() {
        return "published " + acked.sum() + " (" + duplicates.sum() + " deduplicated; " + direct.sum()
                + " sent directly by the publishing thread), retries " + retries.sum() + ", waiting " + waiting();
    }

    long retries() {
        return retries.sum();
    }

    /** @return how many sends went out directly from a publishing thread (not through the sender thread) */
    long directSends() {
        return direct.sum();
    }

    int waiting() {
        synchronized (lock) {
            return queue.size();
        }
    }

    /** Stops the sender; messages still waiting fail with "transport closed". */
    @Override
    public void close() {
        ArrayDeque<Pending> left;
        synchronized (lock) {
            closed = true;
            left = new ArrayDeque<>(queue);
            queue.clear();
            lock.notifyAll();
        }
        sender.interrupt();
        left.forEach(p -> p.result.completeExceptionally(new IllegalStateException("wire " + p.wire + ": transport closed")));
    }
}
