package io.fluxrig.gear.json.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fluxrig.gear.BackPressureException;
import io.fluxrig.gear.Deferral;
import io.fluxrig.gear.GearContext;
import io.fluxrig.msg.FluxMsg;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * json.http holds each message with {@link GearContext#defer()} and settles the deferral after
 * emitting its outcome, against a real JDK HttpServer. The context here records what the gear does
 * with the deferral, in order (the rack's side is tested in rack.runtime and rack.itest).
 */
class JsonHttpDeferralTest {
    private HttpServer server;
    private final AtomicInteger slowHits = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private JsonHttpGear gear;

    /** A context whose deferrals record "emit PORT", "complete" or "fail: REASON" with the thread. */
    private static final class HoldingContext implements GearContext {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        final boolean redelivers;
        volatile boolean refuseEmits;

        HoldingContext(boolean redelivers) {
            this.redelivers = redelivers;
        }

        @Override
        public String rack() {
            return "test";
        }

        @Override
        public String instance() {
            return "issuer";
        }

        @Override
        public void emit(String port, FluxMsg msg) {
            events.add("direct emit " + port);
        }

        @Override
        public Deferral defer() {
            events.add("defer on " + Thread.currentThread().getName());
            return new Deferral() {
                @Override
                public void emit(String port, FluxMsg msg) {
                    events.add("emit " + port + " on " + Thread.currentThread().getName().startsWith("fluxrig-json.http-issuer-"));
                    if (refuseEmits) {
                        throw new BackPressureException("downstream refuses");
                    }
                }

                @Override
                public void complete() {
                    events.add("complete");
                }

                @Override
                public void fail(String reason) {
                    events.add("fail: " + reason);
                }

                @Override
                public boolean redelivers() {
                    return redelivers;
                }
            };
        }

        String next() throws InterruptedException {
            String e = events.poll(20, TimeUnit.SECONDS);
            if (e == null) {
                throw new AssertionError("nothing happened");
            }
            return e;
        }
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
        HoldingContext ctx = new HoldingContext(true);
        gear("/auth").onMessage("in", request(), ctx);
        assertEquals("defer on " + Thread.currentThread().getName(), ctx.next(), "deferred inside onMessage");
        assertEquals("emit out on true", ctx.next());
        assertEquals("complete", ctx.next());
        assertTrue(ctx.events.isEmpty());
    }

    @Test
    void backendErrorIsEmittedOnTheErrorPortThroughTheDeferralThenCompleted() throws Exception {
        HoldingContext ctx = new HoldingContext(true);
        gear("/down").onMessage("in", request(), ctx);
        ctx.next();
        assertEquals("emit error on true", ctx.next());
        assertEquals("complete", ctx.next());
    }

    @Test
    void aRefusedEmitStillSettlesTheDeferral() throws Exception {
        HoldingContext ctx = new HoldingContext(true);
        ctx.refuseEmits = true;
        gear("/auth").onMessage("in", request(), ctx);
        ctx.next();
        assertEquals("emit out on true", ctx.next());
        assertEquals("complete", ctx.next(), "the rack has failed the delivery already; the hold is released");
    }

    @Test
    void tooManyInFlightIsAnsweredThroughTheDeferralAtOnce() throws Exception {
        Cfg cfg = new Cfg("http://127.0.0.1:" + server.getAddress().getPort() + "/slow");
        cfg.maxInFlight = 1;
        gear = new JsonHttpGear(cfg, Map.of("fluxrig.gear.instance", "issuer"));
        HoldingContext first = new HoldingContext(true);
        HoldingContext second = new HoldingContext(true);
        gear.onMessage("in", request(), first);
        gear.onMessage("in", request(), second);
        second.next();
        assertEquals("emit error on false", second.next(), "answered on the caller's thread");
        assertEquals("complete", second.next());
        assertTrue(first.next().startsWith("defer on "));
        assertTrue(first.events.isEmpty(), "the first call is still held");
    }

    @Test
    void closingGivesAWireMessageBackToItsWireInsteadOfAnsweringIt() throws Exception {
        HoldingContext ctx = new HoldingContext(true);
        gear("/slow").onMessage("in", request(), ctx);
        ctx.next();
        while (slowHits.get() == 0) {
            Thread.onSpinWait();
        }
        gear.close();
        assertEquals("fail: json.http gear closing: request abandoned, to be delivered again", ctx.next());
        release.countDown();
        assertEquals(0, gear.inFlight());
        Thread.sleep(200); // the backend's late answer must not be emitted
        assertTrue(ctx.events.isEmpty(), String.valueOf(ctx.events));
    }

    @Test
    void closingAnswersAMessageThatCannotBeRedeliveredOnTheErrorPort() throws Exception {
        HoldingContext ctx = new HoldingContext(false);
        gear("/slow").onMessage("in", request(), ctx);
        ctx.next();
        while (slowHits.get() == 0) {
            Thread.onSpinWait();
        }
        gear.close();
        assertEquals("emit error on false", ctx.next());
        assertEquals("complete", ctx.next());
    }
}
