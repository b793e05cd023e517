package io.fluxrig.bench.raw;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.Message;
import io.nats.client.MessageConsumer;
import io.nats.client.PublishOptions;
import io.nats.client.ConsumeOptions;
import io.nats.client.impl.Headers;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The raw topology's issuer side, on jnats and the JDK only: consumes {@code raw.requests}
 * (durable pull consumer, explicit ack, 128 in flight), POSTs each request's JSON to the issuer
 * with Jetty's {@link HttpClient} as json.http uses it (HTTP/1.1, 2 s timeout, a small I/O pool,
 * 4 completion threads: json.http's settings in the demo), publishes the decision on the subject the request names (Nats-Msg-Id
 * derived from the request's, expected stream) and acknowledges the request only when JetStream
 * acknowledged the decision: the same at-least-once chain as a rack. A failed call is answered
 * with a 96 decision, as the demo's core does.
 *
 * <p>Threads: jnats' consume dispatcher starts each call; Jetty's I/O threads read the answer and
 * hand it to the completion executor; acks complete on jnats' threads.
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
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(1);
        QueuedThreadPool io = new QueuedThreadPool(8, 1);
        io.setName("raw-core-http-io");
        io.setDaemon(true);
        this.http = new HttpClient(new HttpClientTransportOverHTTP(connector));
        http.setExecutor(io);
        http.setConnectTimeout(2000);
        http.setFollowRedirects(false);
        http.setUserAgentField(null);
        http.setMaxConnectionsPerDestination(1024);
        http.start();
        RawStreams.ensureStreams(nc);
        RawStreams.ensureConsumer(nc, RawStreams.REQUESTS, "core", RawStreams.REQUESTS_SUBJECT);
        this.consumer = nc.getConsumerContext(RawStreams.REQUESTS, "core")
                .consume(ConsumeOptions.builder().batchSize(RawStreams.IN_FLIGHT).build(), this::request);
    }

    private void request(Message m) {
        http.newRequest(issuer).method(HttpMethod.POST).timeout(2, TimeUnit.SECONDS)
                .headers(h -> h.put(HttpHeader.ACCEPT, "application/json"))
                .body(new BytesRequestContent("application/json", m.getData()))
                .send(new BufferingResponseListener(1 << 20) {
                    @Override
                    public void onComplete(Result r) {
                        byte[] decision = !r.isFailed() && r.getResponse().getStatus() / 100 == 2 ? getContent() : SYSTEM_ERROR;
                        executor.execute(() -> answer(m, decision));
                    }
                });
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
        try {
            http.stop();
        } catch (Exception e) {
            // best effort: daemon threads, connections close with the process
        }
        executor.shutdownNow();
    }
}
