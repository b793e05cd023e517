package io.fluxrig.wire.jetstream;

import io.fluxrig.msg.FluxMsg;
import io.fluxrig.nats.trust.WireSubjects;
import io.nats.client.impl.Headers;

/** The NATS headers a wire message carries, and those of a dead letter. Stateless. */
final class WireHeaders {
    /** JetStream's deduplication key (within the stream's duplicate window). */
    static final String MSG_ID = WireSubjects.MSG_ID;
    static final String TRACEPARENT = "traceparent";
    static final String CONTENT_TYPE = "Content-Type";
    /** Payload: one fluxMsg in deterministic CBOR, envelope version 1. */
    static final String FLUXMSG_CBOR = "application/cbor; fluxmsg=1";

    /** Dead letters (nats.trust's {@link WireSubjects}, which the CLI's tail and replay read too). */
    static final String DLQ_REASON = WireSubjects.DLQ_REASON;
    static final String DLQ_DELIVERIES = WireSubjects.DLQ_DELIVERIES;
    static final String DLQ_WIRE = WireSubjects.DLQ_WIRE;
    static final String DLQ_STREAM = WireSubjects.DLQ_STREAM;
    static final String DLQ_SEQ = WireSubjects.DLQ_SEQ;
    static final String DLQ_CONSUMER = WireSubjects.DLQ_CONSUMER;

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
