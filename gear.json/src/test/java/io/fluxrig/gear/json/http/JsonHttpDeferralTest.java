package io.fluxrig.gear.json.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fluxrig.gear.BackPressureException;
import io.fluxrig.gear.GearContext;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.testsupport.Await;
import io.fluxrig.testsupport.RecordingContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * json.http holds each message with {@link GearContext#defer()} and settles the deferral after
 * emitting its outcome, against a real JDK HttpServer. The context records what the gear does
 * with the deferral, in order (the rack's side is tested in rack.runtime and rack.itest).
 */
class JsonHttpDeferralTest {
    private HttpServer server;
    private final AtomicInteger slowHits = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private JsonHttpGear gear;

    private static final String GEAR_THREAD = "fluxrig-json.http-issuer-";

    /** A context whose deferrals record what the gear does with them (see RecordingContext). */
    private static RecordingContext holding(boolean redelivers) {
        return new RecordingContext("issuer").holding(redelivers);
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/auth", ex -> answer(ex, 200, "{\"response_code\":\"00\"}"));
        server.createContext("/down", ex -> answer(ex, 503, "{}"));
        server.createContext("/slow", ex -> {
            slowHits.incrementAndGet();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(ex, 200, "{}");
        });
        server.start();
    }

    private static void answer(HttpExchange ex, int status, String body) throws IOException {
        ex.getRequestBody().readAllBytes();
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

    private JsonHttpGear gear(String path) {
        gear = new JsonHttpGear(new Cfg("http://127.0.0.1:" + server.getAddress().getPort() + path),
                Map.of("fluxrig.gear.instance", "issuer"));
        return gear;
    }

    private static FluxMsg request() {
        return FluxMsg.builder().data("pan", "4111111111111111").build();
    }

    @Test
    void successIsEmittedThroughTheDeferralOnTheGearsThreadThenCompleted() throws Exception {
        RecordingContext ctx = holding(true);
        gear("/auth").onMessage("in", request(), ctx);
        assertEquals("defer", ctx.nextEvent(), "deferred inside onMessage");
        assertEquals("emit out", ctx.nextEvent());
        assertTrue(ctx.next().thread().startsWith(GEAR_THREAD), "emitted on the gear's thread");
        assertEquals("complete", ctx.nextEvent());
        assertTrue(ctx.events().isEmpty());
    }

    @Test
    void backendErrorIsEmittedOnTheErrorPortThroughTheDeferralThenCompleted() throws Exception {
        RecordingContext ctx = holding(true);
        gear("/down").onMessage("in", request(), ctx);
        assertEquals("defer", ctx.nextEvent());
        assertTrue(ctx.nextEvent().startsWith("reject: json.http POST "), "rejected through the deferral, which settles it");
        RecordingContext.Emitted e = ctx.next();
        assertEquals("error", e.port());
        assertTrue(e.thread().startsWith(GEAR_THREAD), "on the gear's thread");
        awaitIdle();
        assertTrue(ctx.events().isEmpty(), String.valueOf(ctx.events()));
    }

    @Test
    void aRefusedEmitStillSettlesTheDeferral() throws Exception {
        RecordingContext ctx = holding(true);
        ctx.beforeEmit((port, msg) -> {
            throw new BackPressureException("downstream refuses");
        });
        gear("/auth").onMessage("in", request(), ctx);
        assertEquals("defer", ctx.nextEvent());
        assertEquals("emit out", ctx.nextEvent());
        assertEquals("complete", ctx.nextEvent(), "the rack has failed the delivery already; the hold is released");
    }

    @Test
    void tooManyInFlightIsAnsweredThroughTheDeferralAtOnce() throws Exception {
        Cfg cfg = new Cfg("http://127.0.0.1:" + server.getAddress().getPort() + "/slow");
        cfg.maxInFlight = 1;
        gear = new JsonHttpGear(cfg, Map.of("fluxrig.gear.instance", "issuer"));
        RecordingContext first = holding(true);
        RecordingContext second = holding(true);
        gear.onMessage("in", request(), first);
        gear.onMessage("in", request(), second);
        assertEquals("defer", second.nextEvent());
        assertTrue(second.nextEvent().startsWith("reject: "));
        assertEquals(Thread.currentThread().getName(), second.next().thread(), "answered on the caller's thread");
        assertTrue(second.events().isEmpty(), String.valueOf(second.events()));
        assertEquals("defer", first.nextEvent());
        assertTrue(first.events().isEmpty(), "the first call is still held");
    }

    @Test
    void closingGivesAWireMessageBackToItsWireInsteadOfAnsweringIt() throws Exception {
        RecordingContext ctx = holding(true);
        gear("/slow").onMessage("in", request(), ctx);
        assertEquals("defer", ctx.nextEvent());
        Await.until("the request reached the backend", () -> slowHits.get() == 1);
        gear.close();
        assertEquals("fail: json.http gear closing: request abandoned, to be delivered again", ctx.nextEvent());
        release.countDown();
        assertEquals(0, gear.inFlight());
        awaitLateAnswer();
        assertTrue(ctx.events().isEmpty(), "the backend's late answer was dropped, not emitted: " + ctx.events());
        assertTrue(ctx.isEmpty(), "nothing emitted");
    }

    @Test
    void closingAnswersAMessageThatCannotBeRedeliveredOnTheErrorPort() throws Exception {
        RecordingContext ctx = holding(false);
        gear("/slow").onMessage("in", request(), ctx);
        assertEquals("defer", ctx.nextEvent());
        Await.until("the request reached the backend", () -> slowHits.get() == 1);
        gear.close();
        assertTrue(ctx.nextEvent().startsWith("reject: "));
        assertEquals("error", ctx.next().port());
        release.countDown();
        awaitLateAnswer();
        assertTrue(ctx.events().isEmpty(), String.valueOf(ctx.events()));
        assertTrue(ctx.isEmpty(), "answered once");
    }

    /** Waits until the gear has handled (and dropped) the backend's answer to a settled call. */
    private void awaitLateAnswer() throws InterruptedException {
        Await.until("the late answer handled", () -> gear.lateAnswers() == 1);
    }

    /** Waits until no call is in flight (the outcome was handed over and the permit released). */
    private void awaitIdle() throws InterruptedException {
        Await.until("no call in flight", () -> gear.inFlight() == 0);
    }
}
