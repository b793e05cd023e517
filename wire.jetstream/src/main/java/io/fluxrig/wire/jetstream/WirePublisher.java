package io.fluxrig.wire.jetstream;

import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.cbor.FluxMsgCbor;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes wire messages: {@link #publish} encodes and queues (or fails at once when the
 * bounded buffer is full); one sender thread owned by this object sends the queue head when
 * NATS is connected and a slot of the in-flight window is free, with {@code Nats-Msg-Id} and
 * {@code expectedStream}. The result completes on JetStream's ack; an ack timeout or a
 * transient error puts the message back at the head and sends it again with the same
 * Msg-Id (the server deduplicates), until the publish timeout, after which it fails naming why.
 *
 * <p>Order: messages are sent in queue order; a retried message may land after messages sent
 * while it was in flight, so a caller that needs strict order keeps one publish in flight per
 * wire (the rack's WireOutlet does). Results complete on jnats or sender threads: dependent
 * actions must not block. {@code lock} guards the queue.
 */
final class WirePublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WirePublisher.class);

    private record Pending(String wire, byte[] data, Headers headers, long deadline, CompletableFuture<Void> result) {
    }

    private final NatsConnector connector;
    private final StreamProvisioner provisioner;
    private final TransportSettings settings;
    private final FluxMsgCbor codec = FluxMsgCbor.standard();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final Object lock = new Object();
    private final Semaphore window;
    private final Thread sender;
    private volatile boolean closed;

    private final LongAdder acked = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder retries = new LongAdder();

    WirePublisher(NatsConnector connector, StreamProvisioner provisioner, TransportSettings settings) {
        this.connector = connector;
        this.provisioner = provisioner;
        this.settings = settings;
        this.window = new Semaphore(settings.maxInFlight());
        this.sender = new Thread(this::sendLoop, "fluxrig-jetstream-publish");
        this.sender.setDaemon(true);
    }

    void start() {
        sender.start();
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
        synchronized (lock) {
            if (closed) {
                p.result.completeExceptionally(new IllegalStateException("wire " + p.wire + ": transport closed"));
            } else if (queue.size() >= settings.bufferCapacity()) {
                p.result.completeExceptionally(new IllegalStateException("wire " + p.wire + ": publish buffer full ("
                        + queue.size() + " messages waiting; NATS " + connector.describe() + ")"));
            } else {
                queue.addLast(p);
                lock.notifyAll();
            }
        }
        return p.result;
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
            StreamProvisioner.Placement placement;
            try {
                placement = provisioner.place(c.jetStreamManagement(), p.wire);
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
            }
            send(c, placement, p);
        }
    }

    private void send(Connection c, StreamProvisioner.Placement placement, Pending p) {
        PublishOptions opts = PublishOptions.builder().expectedStream(placement.stream())
                .streamTimeout(settings.ackTimeout()).build();
        CompletableFuture<PublishAck> ack;
        try {
            ack = c.jetStream().publishAsync(placement.subject(), p.headers, p.data, opts);
        } catch (IOException | RuntimeException e) {
            window.release();
            retry(p, e);
            return;
        }
        ack.orTimeout(settings.ackTimeout().toMillis(), TimeUnit.MILLISECONDS).whenComplete((a, error) -> {
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
        return "published " + acked.sum() + " (" + duplicates.sum() + " deduplicated), retries " + retries.sum()
                + ", waiting " + waiting();
    }

    long retries() {
        return retries.sum();
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
