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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each wire message once, with {@code Nats-Msg-Id} and {@code expectedStream}, and reports
 * JetStream's answer: one attempt per {@link #publish} call. It keeps no queue, no window and no
 * retry: the caller owns those (the rack's WireOutlet: its bounded buffer, window, order and
 * retries are the one publish mechanism, see {@code WireTransport}), and a resend of the same
 * message carries the same Msg-Id, which the stream's duplicate window absorbs.
 *
 * <p>{@link #publish} encodes on the caller's thread and hands the bytes to jnats there
 * ({@code publishAsync}: no network wait). The first publish to a wire on a connection also places
 * the wire on its stream (a JetStream API round trip, on the caller's thread; cached until the
 * stream is suspected gone). The result completes on JetStream's ack; it fails at once when NATS
 * is not connected, when the stream cannot be placed, or when JetStream refuses the message, and
 * after {@code ack.timeout.ms} without an ack; each failure names why. Results complete on jnats
 * threads (or on the caller's, or the sweep's delay thread): dependent actions must not block.
 *
 * <p>The {@link JetStream} and {@link JetStreamManagement} contexts are built once per
 * connection generation ({@link NatsConnector#generation()}, changed by every (re)connect), not
 * per message: jnats parses the server version with regular expressions in each constructor.
 */
final class WirePublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WirePublisher.class);

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
    private final WireTracing tracing;
    private final StreamProvisioner provisioner;
    private final TransportSettings settings;
    private final FluxMsgCbor codec = FluxMsgCbor.standard();
    private final Map<String, PublishOptions> optionsByStream = new ConcurrentHashMap<>();
    private final long ackTimeoutNanos;
    private final Executor sweepTimer;
    private final Set<InFlight> inFlight = ConcurrentHashMap.newKeySet();
    private volatile Contexts contexts;
    private volatile boolean closed;

    private final LongAdder acked = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder failed = new LongAdder();

    WirePublisher(NatsConnector connector, StreamProvisioner provisioner, TransportSettings settings, WireTracing tracing) {
        this.tracing = tracing;
        this.connector = connector;
        this.provisioner = provisioner;
        this.settings = settings;
        this.ackTimeoutNanos = settings.ackTimeout().toNanos();
        long sweepMs = Math.max(5, Math.min(50, settings.ackTimeout().toMillis() / 10));
        // The JDK's shared CompletableFuture delay thread, as orTimeout used; the sweep runs on it.
        this.sweepTimer = CompletableFuture.delayedExecutor(sweepMs, TimeUnit.MILLISECONDS, Runnable::run);
    }

    void start() {
        sweepTimer.execute(this::sweep);
    }

    /**
     * Encodes and sends one message; see the class description for when the result fails. With
     * tracing on, the message goes out under its send span ({@link WireTracing}).
     */
    CompletableFuture<Void> publish(String wire, FluxMsg msg) {
        WireTracing.Send span = tracing.send(wire, msg);
        FluxMsg out = span == null ? msg : span.msg;
        byte[] data;
        try {
            Names.wire(wire);
            data = codec.encode(out);
        } catch (IllegalArgumentException e) {
            return span == null ? failed(e) : span.end(failed(e), 0);
        }
        CompletableFuture<Void> result = send(wire, data, WireHeaders.forMessage(out));
        return span == null ? result : span.end(result, data.length);
    }

    /** Sends already-encoded bytes with the given headers once (dead letters). */
    CompletableFuture<Void> publishRaw(String wire, byte[] data, Headers headers) {
        return send(wire, data, headers);
    }

    private CompletableFuture<Void> send(String wire, byte[] data, Headers headers) {
        if (closed) {
            return failed(new IllegalStateException("wire " + wire + ": transport closed"));
        }
        Connection c = connector.connection();
        if (c == null) {
            return failed(new IllegalStateException("wire " + wire + ": not sent, NATS is not connected: "
                    + connector.describe()));
        }
        Contexts ctx;
        StreamProvisioner.Placement placement;
        try {
            ctx = contexts(c);
            placement = provisioner.cached(wire);
            if (placement == null) {
                placement = provisioner.place(ctx.jsm, wire);
            }
        } catch (WireConfigException e) {
            return failed(e);
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            return failed(new IllegalStateException("wire " + wire + ": its stream could not be placed: " + e, e));
        }
        CompletableFuture<PublishAck> ack;
        try {
            ack = ctx.js.publishAsync(placement.subject(), headers, data, options(placement.stream()));
        } catch (RuntimeException e) {
            return failed(new IllegalStateException("wire " + wire + ": not sent: " + e, e));
        }
        InFlight f = new InFlight(ack, System.nanoTime() + ackTimeoutNanos);
        inFlight.add(f);
        CompletableFuture<Void> result = new CompletableFuture<>();
        ack.whenComplete((a, error) -> {
            inFlight.remove(f);
            if (error == null) {
                acked.increment();
                if (a.isDuplicate()) {
                    duplicates.increment();
                }
                result.complete(null);
            } else {
                failed.increment();
                result.completeExceptionally(reason(wire, unwrap(error)));
            }
        });
        return result;
    }

    /** @return the failure to report for an ack that did not come; forgets a stream that may be gone */
    private Throwable reason(String wire, Throwable error) {
        if (error instanceof JetStreamApiException api) {
            if (api.getApiErrorCode() == 10060) { // wrong expected stream: the wire moved, place it again
                provisioner.forget(wire);
            }
            return new IllegalStateException("wire " + wire + ": JetStream refused the message: "
                    + api.getErrorDescription() + " (code " + api.getApiErrorCode() + ")", api);
        }
        if (!(error instanceof TimeoutException)) {
            // e.g. 503 no responders: the stream may have gone (memory storage after a restart).
            provisioner.forget(wire);
        }
        LOG.debug("wire {}: publish not acknowledged: {}", wire, error.toString());
        return new IllegalStateException("wire " + wire + ": not acknowledged: " + error.getMessage(), error);
    }

    private CompletableFuture<Void> failed(Throwable e) {
        failed.increment();
        return CompletableFuture.failedFuture(e);
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

    /**
     * Every sweep interval ({@code ack.timeout.ms / 10}, 5–50 ms): fails the acks older than the
     * ack timeout with a TimeoutException, as {@code orTimeout} would per message, but without
     * scheduling (and waking the timer thread for) one task per publish.
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
                    f.ack.completeExceptionally(new TimeoutException("no JetStream ack within "
                            + settings.ackTimeout().toMillis() + " ms"));
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

    /** jnats' publishAsync completes with {@code RuntimeException(JetStreamApiException)}: unwrap that too. */
    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException
                || t.getClass() == RuntimeException.class && t.getCause() instanceof JetStreamApiException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** @return counters: acknowledged, of which duplicates, failed */
    String describe() {
        return "published " + acked.sum() + " (" + duplicates.sum() + " deduplicated), failed " + failed.sum()
                + ", awaiting ack " + inFlight.size();
    }

    /** @return publishes JetStream acknowledged (duplicates included) */
    long acked() {
        return acked.sum();
    }

    /** @return acknowledged publishes the stream's duplicate window absorbed */
    long duplicates() {
        return duplicates.sum();
    }

    /** @return publishes awaiting JetStream's ack */
    int awaitingAck() {
        return inFlight.size();
    }

    /** @return how many publishes failed (not connected, refused, no ack in time) */
    long failures() {
        return failed.sum();
    }

    /** Stops the sweep and fails the publishes still awaiting an ack with "transport closed". */
    @Override
    public void close() {
        closed = true;
        for (InFlight f : inFlight) {
            f.ack.completeExceptionally(new IllegalStateException("transport closed"));
        }
    }
}
