package io.fluxrig.bench.raw;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.time.Duration;

/**
 * The raw topology's two streams and their durable consumers, set up with the settings a wire
 * gets by default (JetStreamConfig's defaults and the demo's max in flight): file storage, one
 * replica, 7 days max age, a 120 s Nats-Msg-Id duplicate window, discard old; explicit ack, ack
 * wait 30 s, 128 acks pending. Stateless.
 */
final class RawStreams {
    static final String REQUESTS = "RAW_REQUESTS";
    static final String REQUESTS_SUBJECT = "raw.requests";
    static final String ANSWERS = "RAW_ANSWERS";
    static final String ANSWERS_PREFIX = "raw.answers.";
    /** Header naming the request an answer belongs to (the fluxMsg's ref, in the raw topology). */
    static final String REQUEST_ID = "Raw-Request";
    /** Header naming the subject the answer goes to (the meta reply.rack, in the raw topology). */
    static final String REPLY_TO = "Raw-Reply";
    /** Deliveries in flight per consumer: the demo's default.max.in.flight. */
    static final int IN_FLIGHT = 128;

    private RawStreams() {
    }

    /** Creates both streams (or leaves them as they are) on a JetStream server. */
    static void ensureStreams(Connection nc) throws IOException, JetStreamApiException {
        JetStreamManagement jsm = nc.jetStreamManagement();
        stream(jsm, REQUESTS, REQUESTS_SUBJECT);
        stream(jsm, ANSWERS, ANSWERS_PREFIX + ">");
    }

    private static void stream(JetStreamManagement jsm, String name, String subject) throws IOException, JetStreamApiException {
        StreamConfiguration sc = StreamConfiguration.builder().name(name).subjects(subject).storageType(StorageType.File)
                .replicas(1).maxAge(Duration.ofDays(7)).duplicateWindow(Duration.ofSeconds(120)).discardPolicy(DiscardPolicy.Old)
                .build();
        try {
            jsm.getStreamInfo(name);
        } catch (JetStreamApiException missing) {
            jsm.addStream(sc);
        }
    }

    /** Creates (or updates) the durable pull consumer {@code durable} on {@code stream}, filtered on {@code subject}. */
    static void ensureConsumer(Connection nc, String stream, String durable, String subject) throws IOException, JetStreamApiException {
        nc.jetStreamManagement().addOrUpdateConsumer(stream, ConsumerConfiguration.builder().durable(durable).filterSubject(subject)
                .ackPolicy(AckPolicy.Explicit).deliverPolicy(DeliverPolicy.All).ackWait(Duration.ofSeconds(30))
                .maxAckPending(IN_FLIGHT).maxDeliver(-1).build());
    }
}
