package io.fluxrig.wire.jetstream;

import io.fluxrig.telemetry.FailedMessages;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsJetStreamMetaData;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a message that cannot be handled to the dead-letter wire {@code <wire>.dlq}: the
 * original payload bytes unchanged (so an operator can replay them), the original headers, and
 * {@code Fluxrig-Dlq-*} headers with the reason and delivery count. The dead letter's
 * {@code Nats-Msg-Id} is {@code dlq/<stream>/<sequence>}, so dead-lettering the same message
 * twice (a crash between publish and term) stores it once. Only after JetStream acknowledged the
 * dead letter is the original terminated; if that publish fails the original is naked and
 * comes back (and is dead-lettered then), so nothing is lost.
 *
 * Each one stored is also told to the rack's {@link FailedMessages} when bound.
 *
 * <p>Threading: {@link #send} blocks the calling consumer worker until the dead letter is
 * acknowledged or its one attempt fails (at once, or after the ack timeout). Stateless apart from the shared publisher.
 */
final class DeadLetters {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final WirePublisher publisher;
    private final TransportSettings settings;
    /** Told of each dead letter stored, for the rack's live console page; null without it. */
    private volatile FailedMessages told;

    DeadLetters(WirePublisher publisher, TransportSettings settings) {
        this.publisher = publisher;
        this.settings = settings;
    }

    /** @param f where each dead letter stored is also told, or null for nowhere */
    void tell(FailedMessages f) {
        told = f;
    }

    /**
     * @return true when the dead letter was stored and the original terminated; false when it
     *     was naked for a later attempt
     */
    boolean send(Message m, String wire, String consumer, long deliveries, String reason, java.time.Duration retryDelay) {
        NatsJetStreamMetaData meta = m.metaData();
        Headers h = new Headers();
        if (m.getHeaders() != null) {
            m.getHeaders().forEach((k, v) -> h.put(k, v));
        }
        h.put(WireHeaders.MSG_ID, "dlq/" + meta.getStream() + "/" + meta.streamSequence());
        // The reason is operator text (a gear's rejection, a decoder error): card numbers in it are
        // masked before it is stored or logged.
        String shown = io.fluxrig.msg.SensitiveData.maskText(reason);
        h.put(WireHeaders.DLQ_REASON, oneLine(shown));
        h.put(WireHeaders.DLQ_DELIVERIES, Long.toString(deliveries));
        h.put(WireHeaders.DLQ_WIRE, wire);
        h.put(WireHeaders.DLQ_STREAM, meta.getStream());
        h.put(WireHeaders.DLQ_SEQ, Long.toString(meta.streamSequence()));
        h.put(WireHeaders.DLQ_CONSUMER, consumer);
        String dlq = Names.dlq(wire);
        try {
            publisher.publishRaw(dlq, m.getData(), h)
                    .get(settings.ackTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            m.nakWithDelay(retryDelay);
            return false;
        } catch (Exception e) {
            LOG.warn("wire {}: dead-lettering sequence {} to {} failed ({}); it will be redelivered", wire,
                    meta.streamSequence(), dlq, e.toString());
            m.nakWithDelay(retryDelay);
            return false;
        }
        m.term();
        FailedMessages f = told;
        if (f != null) {
            f.failed("wire " + wire + " (" + consumer + ")", "dead-lettered to " + dlq + " after " + deliveries + " deliveries: " + shown,
                    h.getFirst(WireHeaders.TRACEPARENT));
        }
        LOG.warn("wire {}: sequence {} dead-lettered to {} after {} deliveries: {}", wire, meta.streamSequence(), dlq,
                deliveries, shown);
        return true;
    }

    /** Header values are single lines of printable ASCII (at most 1024 characters). */
    private static String oneLine(String s) {
        String t = s == null || s.isBlank() ? "no reason given" : s;
        StringBuilder b = new StringBuilder(Math.min(t.length(), 1024));
        for (int i = 0; i < t.length() && b.length() < 1024; i++) {
            char c = t.charAt(i);
            b.append(c < 0x20 ? ' ' : c > 0x7e ? '?' : c);
        }
        return b.toString();
    }
}
