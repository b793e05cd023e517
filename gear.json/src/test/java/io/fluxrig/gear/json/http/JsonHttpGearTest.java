package io.fluxrig.gear.json.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fluxrig.gear.GearRejection;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.testsupport.Await;
import io.fluxrig.testsupport.RecordingContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** json.http against a real HTTP/1.1 server (the JDK's HttpServer) on a free loopback port. */
class JsonHttpGearTest {
    private HttpServer server;
    private final AtomicInteger hits = new AtomicInteger();
    private final AtomicInteger flaky = new AtomicInteger();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> traceparents = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private JsonHttpGear gear;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/auth", ex -> answer(ex, 200, "{\"approved\":true,\"response_code\":\"00\",\"auth_code\":\"A1B2C3\",\"limit\":100.50}"));
        server.createContext("/flaky", ex -> answer(ex, flaky.incrementAndGet() == 1 ? 500 : 200, "{\"ok\":true}"));
        server.createContext("/down", ex -> answer(ex, 503, "{\"error\":\"maintenance\"}"));
        server.createContext("/bad", ex -> answer(ex, 400, "{\"error\":\"bad request\"}"));
        server.createContext("/garbage", ex -> answer(ex, 200, "<html>oops</html>"));
        server.createContext("/slow", ex -> {
            hits.incrementAndGet();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(ex, 200, "{}");
        });
        server.start();
    }

    private void answer(HttpExchange ex, int status, String body) throws IOException {
        hits.incrementAndGet();
        bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        traceparents.add(String.valueOf(ex.getRequestHeaders().getFirst("traceparent")));
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (gear != null) {
            gear.deactivate();
        }
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private JsonHttpGear gear(Cfg cfg) {
        gear = new JsonHttpGear(cfg, Map.of("fluxrig.gear.instance", "issuer"));
        return gear;
    }

    private static FluxMsg request() {
        return FluxMsg.builder().data("pan", "4111111111111111").data("amount", Map.of("value", "123.45", "currency", "USD"))
                .meta("conn.id", "c-42").trace("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01").build();
    }

    @Test
    void successEmitsTheResponseDerivedFromTheRequest() throws Exception {
        RecordingContext rec = new RecordingContext("issuer");
        FluxMsg in = request();
        gear(new Cfg(url("/auth"))).onMessage("in", in, rec);
        RecordingContext.Emitted e = rec.next();
        assertEquals("out", e.port());
        assertTrue(e.thread().startsWith("fluxrig-json.http-issuer-"), e.thread());
        FluxMsg out = e.msg();
        assertEquals(in.id(), out.ref());
        assertEquals("c-42", out.meta("conn.id"));
        assertEquals("200", out.meta("http.status"));
        assertEquals(Boolean.TRUE, out.get("approved"));
        assertEquals("A1B2C3", out.get("auth_code"));
        assertEquals(new java.math.BigDecimal("100.50"), out.get("limit"));
        assertFalse(out.data().containsKey("pan"));
        // fluxMsg data iterates in canonical key order (shorter keys first), and so is written.
        assertEquals("{\"pan\":\"4111111111111111\",\"amount\":{\"value\":\"123.45\",\"currency\":\"USD\"}}", bodies.get(0));
        assertEquals(in.trace(), traceparents.get(0));
        assertEquals(0, gear.inFlight());
    }

    /**
     * With tracing on: one CLIENT span per call, child of the message's trace, whose context the
     * backend gets as traceparent and the answer carries; a 503 is an error with its status.
     */
    @Test
    void withTelemetryTheCallIsAClientSpanTheBackendSeesAsItsParent() throws Exception {
        var spans = io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter.create();
        try (var otel = io.opentelemetry.sdk.OpenTelemetrySdk.builder().setTracerProvider(
                io.opentelemetry.sdk.trace.SdkTracerProvider.builder()
                        .addSpanProcessor(io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(spans)).build())
                .build()) {
            RecordingContext rec = new RecordingContext("issuer");
            JsonHttpGear g = gear(new Cfg(url("/auth")));
            g.telemetry(otel);
            FluxMsg in = request();
            g.onMessage("in", in, rec);
            FluxMsg out = rec.next().msg();
            Await.until("client span ended", () -> spans.getFinishedSpanItems().size() == 1);
            var span = spans.getFinishedSpanItems().get(0);
            assertEquals("POST", span.getName());
            assertEquals(io.opentelemetry.api.trace.SpanKind.CLIENT, span.getKind());
            assertEquals("0af7651916cd43dd8448eb211c80319c", span.getTraceId());
            assertEquals("b7ad6b7169203331", span.getParentSpanId());
            assertEquals(200L, span.getAttributes().get(HttpTracing.STATUS));
            assertEquals(url("/auth"), span.getAttributes().get(HttpTracing.URL));
            String tp = "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getSpanContext().getTraceFlags().asHex();
            assertEquals(tp, traceparents.get(0), "the backend's parent is the client span");
            assertEquals(tp, out.trace(), "the answer continues under the client span");

            JsonHttpGear down = new JsonHttpGear(new Cfg(url("/down")), Map.of("fluxrig.gear.instance", "down"));
            try {
                down.telemetry(otel);
                down.onMessage("in", request(), rec);
                assertEquals("error", rec.next().port());
                Await.until("error span ended", () -> spans.getFinishedSpanItems().size() == 2);
                var failed = spans.getFinishedSpanItems().get(1);
                assertEquals(io.opentelemetry.api.trace.StatusCode.ERROR, failed.getStatus().getStatusCode());
                assertEquals(503L, failed.getAttributes().get(HttpTracing.STATUS));
                assertEquals("503", failed.getAttributes().get(HttpTracing.ERROR_TYPE));
            } finally {
                down.deactivate();
            }
        }
    }

    /**
     * A rack that keeps errors at a low ratio: an unsampled call makes no span and the backend gets
     * the message's own traceparent; an unsampled call that fails is made a span when it ends.
     */
    @Test
    void anUnsampledCallMakesNoSpanUnlessItFails() throws Exception {
        var spans = io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter.create();
        var recordOnly = new io.opentelemetry.sdk.trace.samplers.Sampler() {
            @Override
            public io.opentelemetry.sdk.trace.samplers.SamplingResult shouldSample(io.opentelemetry.context.Context parent, String traceId,
                    String name, io.opentelemetry.api.trace.SpanKind kind, io.opentelemetry.api.common.Attributes attributes,
                    java.util.List<io.opentelemetry.sdk.trace.data.LinkData> links) {
                return io.opentelemetry.sdk.trace.samplers.SamplingResult.recordOnly();
            }

            @Override
            public String getDescription() {
                return "recordOnly";
            }
        };
        try (var otel = io.opentelemetry.sdk.OpenTelemetrySdk.builder().setTracerProvider(
                io.opentelemetry.sdk.trace.SdkTracerProvider.builder().setSampler(recordOnly)
                        .addSpanProcessor(io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.builder(spans)
                                .setExportUnsampledSpans(true).build()).build())
                .build()) {
            Map<String, Object> keepErrors = Map.of(io.fluxrig.telemetry.MessageSpans.KEEP_ERRORS, true);
            String unsampled = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00";
            RecordingContext rec = new RecordingContext("issuer");
            JsonHttpGear g = gear(new Cfg(url("/auth")));
            g.telemetry(otel, keepErrors);
            g.onMessage("in", request().toBuilder().trace(unsampled).build(), rec);
            FluxMsg out = rec.next().msg();
            assertEquals(unsampled, traceparents.get(0), "the backend gets the caller's context");
            assertEquals(unsampled, out.trace());

            JsonHttpGear down = new JsonHttpGear(new Cfg(url("/down")), Map.of("fluxrig.gear.instance", "down"));
            try {
                down.telemetry(otel, keepErrors);
                down.onMessage("in", request().toBuilder().trace(unsampled).build(), rec);
                assertEquals("error", rec.next().port());
                Await.until("the failed call's span", () -> !spans.getFinishedSpanItems().isEmpty());
                assertEquals(1, spans.getFinishedSpanItems().size(), "the successful call made none: " + spans.getFinishedSpanItems());
                var failed = spans.getFinishedSpanItems().get(0);
                assertEquals("POST", failed.getName());
                assertEquals(io.opentelemetry.api.trace.SpanKind.CLIENT, failed.getKind());
                assertEquals("b7ad6b7169203331", failed.getParentSpanId());
                assertEquals(io.opentelemetry.api.trace.StatusCode.ERROR, failed.getStatus().getStatusCode());
                assertEquals(503L, failed.getAttributes().get(HttpTracing.STATUS));
                assertEquals(url("/down"), failed.getAttributes().get(HttpTracing.URL));
            } finally {
                down.deactivate();
            }
        }
    }

    @Test
    void aRequestDeliveredTwiceIsAnsweredTwiceWithTheSameIdSoTheNextWireKeepsOne() throws Exception {
        RecordingContext rec = new RecordingContext("issuer");
        FluxMsg in = request();
        JsonHttpGear g = gear(new Cfg(url("/auth")));
        g.onMessage("in", in, rec);
        FluxMsg first = rec.next().msg();
        g.onMessage("in", in, rec);
        FluxMsg second = rec.next().msg();
        assertEquals(2, hits.get());
        assertEquals(first.id(), second.id());
        assertEquals(in.id(), second.ref());
        g.onMessage("in", request(), rec);
        assertFalse(first.id().equals(rec.next().msg().id()), "another request gets another answer id");
    }

    @Test
    void dataKeySourceAndTargetKeepTheRequestData() throws Exception {
        Cfg cfg = new Cfg(url("/auth"));
        cfg.source = "amount";
        cfg.target = "decision";
        RecordingContext rec = new RecordingContext("issuer");
        gear(cfg).onMessage("in", request(), rec);
        FluxMsg out = rec.next().msg();
        assertEquals("00", out.get("decision.response_code"));
        assertEquals("4111111111111111", out.get("pan"));
        assertEquals("{\"value\":\"123.45\",\"currency\":\"USD\"}", bodies.get(0));
    }

    @Test
    void serverErrorThenSuccessIsRetriedWhenIdempotent() throws Exception {
        Cfg cfg = new Cfg(url("/flaky"));
        cfg.idempotent = true;
        cfg.retries = 2;
        RecordingContext rec = new RecordingContext("issuer");
        gear(cfg).onMessage("in", request(), rec);
        RecordingContext.Emitted e = rec.next();
        assertEquals("out", e.port());
        assertEquals("2", e.msg().meta("http.attempts"));
        assertEquals(2, hits.get());
    }

    @Test
    void noRetryWhenNotIdempotent() throws Exception {
        Cfg cfg = new Cfg(url("/flaky"));
        cfg.retries = 3;
        RecordingContext rec = new RecordingContext("issuer");
        FluxMsg in = request();
        gear(cfg).onMessage("in", in, rec);
        RecordingContext.Emitted e = rec.next();
        assertEquals("error", e.port());
        assertEquals("json.http POST " + url("/flaky") + ": HTTP 500 from the backend", e.msg().meta("error"));
        assertEquals("issuer", e.msg().meta("error.gear"));
        assertEquals("500", e.msg().meta("http.status"));
        assertEquals("c-42", e.msg().meta("conn.id"));
        assertEquals(in.data(), e.msg().data());
        assertEquals(1, hits.get());
    }

    @Test
    void serverErrorAfterAllRetriesGoesToError() throws Exception {
        Cfg cfg = new Cfg(url("/down"));
        cfg.method = "PUT";
        cfg.retries = 2;
        RecordingContext rec = new RecordingContext("issuer");
        gear(cfg).onMessage("in", request(), rec);
        RecordingContext.Emitted e = rec.next();
        assertEquals("error", e.port());
        assertEquals("json.http PUT " + url("/down") + ": HTTP 503 from the backend (after 3 attempts)", e.msg().meta("error"));
        assertEquals(3, hits.get());
    }

    @Test
    void clientErrorAndGarbageBodyGoToError() throws Exception {
        RecordingContext rec = new RecordingContext("issuer");
        gear(new Cfg(url("/bad"))).onMessage("in", request(), rec);
        assertTrue(rec.next().msg().meta("error").endsWith("HTTP 400 from the backend"));
        gear.deactivate();
        gear(new Cfg(url("/garbage"))).onMessage("in", request(), rec);
        RecordingContext.Emitted e = rec.next();
        assertEquals("error", e.port());
        assertTrue(e.msg().meta("error").contains("unparseable response body (HTTP 200): $: "), e.msg().meta("error"));
        assertTrue(e.msg().meta("error").contains("(offset 0, line 1, column 1)"), e.msg().meta("error"));
    }

    @Test
    void timeoutGoesToErrorWithTheReason() throws Exception {
        Cfg cfg = new Cfg(url("/slow"));
        cfg.requestTimeoutMs = 300;
        RecordingContext rec = new RecordingContext("issuer");
        gear(cfg).onMessage("in", request(), rec);
        RecordingContext.Emitted e = rec.next();
        assertEquals("error", e.port());
        assertEquals("json.http POST " + url("/slow") + ": timeout: no response within 300 ms", e.msg().meta("error"));
        assertEquals(0, gear.inFlight());
    }

    @Test
    void connectionRefusedGoesToError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Cfg cfg = new Cfg("http://127.0.0.1:" + port + "/auth");
        cfg.idempotent = true;
        cfg.retries = 1;
        RecordingContext rec = new RecordingContext("issuer");
        gear(cfg).onMessage("in", request(), rec);
        RecordingContext.Emitted e = rec.next();
        assertEquals("error", e.port());
        assertEquals("json.http POST http://127.0.0.1:" + port + "/auth: connection refused or unreachable (127.0.0.1:" + port
                + ") (after 2 attempts)", e.msg().meta("error"));
    }

    @Test
    void closeAnswersWhatIsInFlight() throws Exception {
        RecordingContext rec = new RecordingContext("issuer");
        gear(new Cfg(url("/slow"))).onMessage("in", request(), rec);
        Await.until("the request reached the backend", () -> hits.get() > 0);
        gear.close();
        RecordingContext.Emitted e = rec.next();
        assertEquals("error", e.port());
        assertTrue(e.msg().meta("error").endsWith("gear closing: request abandoned"));
        release.countDown();
        assertEquals(0, gear.inFlight());
    }

    @Test
    void maxInFlightOverflowGoesToErrorAtOnce() throws Exception {
        Cfg cfg = new Cfg(url("/slow"));
        cfg.maxInFlight = 1;
        RecordingContext rec = new RecordingContext("issuer");
        gear(cfg).onMessage("in", request(), rec);
        gear.onMessage("in", request(), rec);
        RecordingContext.Emitted e = rec.next();
        assertEquals("error", e.port());
        assertTrue(e.msg().meta("error").endsWith("too many requests in flight (max.in.flight reached)"));
    }

    @Test
    void missingSourceIsRejectedSynchronouslyAndBadConfigRefused() {
        Cfg cfg = new Cfg(url("/auth"));
        cfg.source = "nope";
        GearRejection r = assertThrows(GearRejection.class, () -> gear(cfg).onMessage("in", request(), new RecordingContext("issuer")));
        assertEquals("json.http: data 'nope' to send is missing", r.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new JsonHttpGear(new Cfg("ftp://x/"), Map.of()));
        Cfg get = new Cfg(url("/auth"));
        get.method = "DELETE";
        assertThrows(IllegalArgumentException.class, () -> new JsonHttpGear(get, Map.of()));
    }

    @Test
    void http2SettingFallsBackToHttp11WithThisServer() throws Exception {
        // The JDK's HttpServer only speaks HTTP/1.1: this shows the HTTP_2 setting works against
        // such a backend (h2c upgrade ignored, 1.1 used); it does not exercise an h2 exchange.
        Cfg cfg = new Cfg(url("/auth"));
        cfg.httpVersion = "HTTP_2";
        RecordingContext rec = new RecordingContext("issuer");
        gear(cfg).onMessage("in", request(), rec);
        assertEquals("out", rec.next().port());
    }
}
