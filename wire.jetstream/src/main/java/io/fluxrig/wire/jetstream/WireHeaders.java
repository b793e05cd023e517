package io.fluxrig.wire.jetstream;

import io.fluxrig.msg.FluxMsg;
import io.nats.client.impl.Headers;

/** The NATS headers a wire message carries, and those of a dead letter. Stateless. */
final class WireHeaders {
    /** JetStream's deduplication key (within the stream's duplicate window). */
    static final String MSG_ID = "Nats-Msg-Id";
    static final String TRACEPARENT = "traceparent";
    static final String CONTENT_TYPE = "Content-Type";
    /** Payload: one fluxMsg in deterministic CBOR, envelope version 1. */
    static final String FLUXMSG_CBOR = "application/cbor; fluxmsg=1";

    /** Dead letters: why the message failed (the last nak reason, or the decoder's offset and reason). */
    static final String DLQ_REASON = "Fluxrig-Dlq-Reason";
    /** Dead letters: how many times it was delivered. */
    static final String DLQ_DELIVERIES = "Fluxrig-Dlq-Deliveries";
    /** Dead letters: the wire, stream, stream sequence and consumer it came from. */
    static final String DLQ_WIRE = "Fluxrig-Dlq-Wire";
    static final String DLQ_STREAM = "Fluxrig-Dlq-Stream";
    static final String DLQ_SEQ = "Fluxrig-Dlq-Seq";
    static final String DLQ_CONSUMER = "Fluxrig-Dlq-Consumer";

    private WireHeaders() {
    }

    /**
     * The same message at the same hop always gets the same id, so a republish (the rack retrying
     * after a lost ack) is deduplicated; the message forwarded one hop further is a new one.
     */
    static String msgId(FluxMsg msg) {
        return msg.id() + "/" + msg.path().size();
    }

    static Headers forMessage(FluxMsg msg) {
        Headers h = new Headers();
        h.put(MSG_ID, msgId(msg));
        h.put(CONTENT_TYPE, FLUXMSG_CBOR);
        if (msg.trace() != null) {
            h.put(TRACEPARENT, msg.trace());
        }
        return h;
    }
}
