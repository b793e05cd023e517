package io.fluxrig.bench.raw;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.Message;
import io.nats.client.MessageConsumer;
import io.nats.client.PublishOptions;
import io.nats.client.ConsumeOptions;
import io.nats.client.impl.Headers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The raw topology's issuer side, on jnats and the JDK only: consumes {@code raw.requests}
 * (durable pull consumer, explicit ack, 128 in flight), POSTs each request's JSON to the issuer
 * with the JDK {@link HttpClient} (HTTP/1.1, 2 s timeout, 4 completion threads: json.http's
 * settings in the demo), publishes the decision on the subject the request names (Nats-Msg-Id
 * derived from the request's, expected stream) and acknowledges the request only when JetStream
 * acknowledged the decision: the same at-least-once chain as a rack. A failed call is answered
 * with a 96 decision, as the demo's core does.
 *
 * <p>Threads: jnats' consume dispatcher starts each call; completions run on the client's
 * executor; acks complete on jnats' threads.
 */
final class RawCore implements AutoCloseable {
    private static final byte[] SYSTEM_ERROR = "{\"approved\":false,\"response_code\":\"96\"}".getBytes(StandardCharsets.UTF_8);

    private final JetStream js;
    private final URI issuer;
    private final ExecutorService executor;
    private final HttpClient http;
    private final PublishOptions publishOptions = PublishOptions.builder().expectedStream(RawStreams.ANSWERS).build();
    private final MessageConsumer consumer;

    RawCore(Connection nc, URI issuer) throws Exception {
        this.js = nc.jetStream();
        this.issuer = issuer;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "raw-core-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                .connectTimeout(Duration.ofSeconds(2)).followRedirects(HttpClient.Redirect.NEVER).build();
        RawStreams.ensureStreams(nc);
        RawStreams.ensureConsumer(nc, RawStreams.REQUESTS, "core", RawStreams.REQUESTS_SUBJECT);
        this.consumer = nc.getConsumerContext(RawStreams.REQUESTS, "core")
                .consume(ConsumeOptions.builder().batchSize(RawStreams.IN_FLIGHT).build(), this::request);
    }

    private void request(Message m) {
        HttpRequest req = HttpRequest.newBuilder(issuer).timeout(Duration.ofSeconds(2))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(m.getData())).build();
        http.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray()).whenCompleteAsync((r, e) -> {
            byte[] decision = e == null && r.statusCode() / 100 == 2 ? r.body() : SYSTEM_ERROR;
            answer(m, decision);
        }, executor);
    }

    private void answer(Message m, byte[] decision) {
        Headers in = m.getHeaders();
        String id = in.getFirst("Nats-Msg-Id");
        Headers h = new Headers().put("Nats-Msg-Id", "a-" + id).put(RawStreams.REQUEST_ID, id);
        js.publishAsync(in.getFirst(RawStreams.REPLY_TO), h, decision, publishOptions).whenComplete((ack, e) -> {
            if (e == null) {
                m.ack();
            } else {
                m.nakWithDelay(Duration.ofSeconds(1)); // delivered again: the decision is published again (deduplicated)
            }
        });
    }

    @Override
    public void close() {
        consumer.stop();
        executor.shutdownNow();
    }
}
