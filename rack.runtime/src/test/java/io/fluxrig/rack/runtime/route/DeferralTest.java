package io.fluxrig.rack.runtime.route;

import static io.fluxrig.rack.runtime.route.TestGears.msg;
import static io.fluxrig.rack.runtime.route.TestGears.patch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.gear.BackPressureException;
import io.fluxrig.gear.Deferral;
import io.fluxrig.gear.Gear;
import io.fluxrig.gear.GearContext;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.testsupport.Await;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link GearContext#defer()} in the router: a wire delivery held by a gear is acknowledged only
 * after the deferral completed and its emits were published, naked when it fails or times out.
 */
class DeferralTest {
    private static final long DEFER_TIMEOUT_MS = 30_000;
    private Router router = new Router("core", 100, 100, 1_000, DEFER_TIMEOUT_MS);
    private final MemoryWireTransport transport = new MemoryWireTransport();

    /** Defers every message and hands (deferral, message) to the test, as an async gear would. */
    static final class Deferring implements Gear {
        record Held(Deferral deferral, FluxMsg msg) {
        }

        final BlockingQueue<Held> held = new LinkedBlockingQueue<>();

        @Override
        public void onMessage(String port, FluxMsg msg, GearContext c) {
            held.add(new Held(c.defer(), msg));
        }

        Held next() throws InterruptedException {
            Held h = held.poll(5, TimeUnit.SECONDS);
            if (h == null) {
                throw new AssertionError("nothing deferred");
            }
            return h;
        }
    }

    @AfterEach
    void close() {
        router.close();
    }

    private Deferring start(String links) throws InterruptedException {
        router.applyPatch(patch("gears: { a: json.http, b: log }\nlinks: [ " + links + " ]\n"));
        router.transport(transport);
        Await.until("subscribed to requests", () -> transport.subscribers.containsKey("requests"));
        Deferring a = new Deferring();
        router.offerGear("a", a, "t");
        return a;
    }

    /** Runs {@code r} on another thread, as a gear's HTTP callback would, and waits for it. */
    private static void onCallbackThread(Runnable r) throws Exception {
        CompletableFuture.runAsync(r).get(5, TimeUnit.SECONDS);
    }

    @Test
    void heldUntilCompletedThenAckedAfterItsPublishWasAcked() throws Exception {
        Deferring a = start("wire:requests -> a.in, a.out -> wire:responses");
        CompletableFuture<String> outcome = transport.deliverAsync("requests", msg(1));
        Deferring.Held h = a.next();
        assertTrue(h.deferral().redelivers());
        assertFalse(outcome.isDone(), "the chain returned, but the gear still holds the message");
        transport.failing = true;
        onCallbackThread(() -> {
            h.deferral().emit(Gear.PORT_OUT, h.msg().derive().data("approved", true).build());
            h.deferral().complete();
        });
        assertFalse(outcome.isDone(), "completed, but its publish is not acknowledged yet");
        transport.failing = false; // the outlet retries every second
        assertEquals("ack", outcome.get(5, TimeUnit.SECONDS));
        List<FluxMsg> published = transport.published.get("responses");
        assertEquals(1, published.size());
        assertEquals(h.msg().id(), published.get(0).ref());
    }

    @Test
    void failingNaksWithTheReasonAndLaterEmitsAreRefused() throws Exception {
        Deferring a = start("wire:requests -> a.in, a.out -> wire:responses");
        CompletableFuture<String> outcome = transport.deliverAsync("requests", msg(2));
        Deferring.Held h = a.next();
        onCallbackThread(() -> h.deferral().fail("backend call failed"));
        assertEquals("nak 1000: gear a: backend call failed", outcome.get(5, TimeUnit.SECONDS));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> h.deferral().emit(Gear.PORT_OUT, h.msg()));
        assertTrue(e.getMessage().contains("already settled"), e.getMessage());
        h.deferral().complete(); // ignored: exactly one settle counts
        assertTrue(transport.published.getOrDefault("responses", List.of()).isEmpty());
    }

    @Test
    void notSettledWithinTheBoundIsNakedNeverAcked() throws Exception {
        router.close();
        router = new Router("core", 100, 100, 1_000, 50);
        Deferring a = start("wire:requests -> a.in, a.out -> wire:responses");
        CompletableFuture<String> outcome = transport.deliverAsync("requests", msg(3));
        Deferring.Held h = a.next();
        assertEquals("nak 1000: gear a: deferred message not settled within 50 ms (fluxrig.rack.defer.timeout.ms)",
                outcome.get(5, TimeUnit.SECONDS));
        assertThrows(IllegalStateException.class, () -> h.deferral().emit(Gear.PORT_OUT, h.msg()));
        h.deferral().complete();
        assertEquals("nak 1000: gear a: deferred message not settled within 50 ms (fluxrig.rack.defer.timeout.ms)",
                outcome.get(), "a late completion changes nothing");
    }

    @Test
    void anErrorEmittedWithoutAnErrorLinkNaksWithThatError() throws Exception {
        Deferring a = start("wire:requests -> a.in, a.out -> wire:responses");
        CompletableFuture<String> outcome = transport.deliverAsync("requests", msg(4));
        Deferring.Held h = a.next();
        onCallbackThread(() -> {
            h.deferral().emit(Gear.PORT_ERROR, h.msg().toBuilder().meta(Gear.META_ERROR, "timeout after 2000 ms").build());
            h.deferral().complete();
        });
        assertEquals("nak 1000: gear a failed the message and its error port has no link: timeout after 2000 ms",
                outcome.get(5, TimeUnit.SECONDS));
        assertEquals(1, router.rows().get(0).errors());
    }

    @Test
    void anErrorEmittedOnALinkedErrorPortIsAHandledMessage() throws Exception {
        Deferring a = start("wire:requests -> a.in, a.out -> wire:responses, a.error -> wire:responses");
        CompletableFuture<String> outcome = transport.deliverAsync("requests", msg(5));
        Deferring.Held h = a.next();
        onCallbackThread(() -> {
            h.deferral().emit(Gear.PORT_ERROR, h.msg().toBuilder().meta(Gear.META_ERROR, "HTTP 503").build());
            h.deferral().complete();
        });
        assertEquals("ack", outcome.get(5, TimeUnit.SECONDS));
        assertEquals("HTTP 503", transport.published.get("responses").get(0).meta(Gear.META_ERROR));
    }

    @Test
    void aRejectionOnALinkedErrorPortIsPublishedCountedAndAcked() throws Exception {
        Deferring a = start("wire:requests -> a.in, a.out -> wire:responses, a.error -> wire:errors");
        CompletableFuture<String> outcome = transport.deliverAsync("requests", msg(9));
        Deferring.Held h = a.next();
        onCallbackThread(() -> h.deferral().reject(h.msg(), "HTTP 503 from the backend"));
        assertEquals("ack", outcome.get(5, TimeUnit.SECONDS), "rejected is handled: its answer is the error");
        FluxMsg error = transport.published.get("errors").get(0);
        assertEquals(h.msg().id(), error.id());
        assertEquals("HTTP 503 from the backend", error.meta(Gear.META_ERROR));
        assertEquals("a", error.meta(Gear.META_ERROR_GEAR));
        assertEquals(1, router.rows().get(0).errors());
        assertThrows(IllegalStateException.class, () -> h.deferral().emit(Gear.PORT_OUT, h.msg()), "settled");
    }

    @Test
    void aRejectionWithoutAnErrorLinkNaksWithTheReason() throws Exception {
        Deferring a = start("wire:requests -> a.in, a.out -> wire:responses");
        CompletableFuture<String> outcome = transport.deliverAsync("requests", msg(10));
        Deferring.Held h = a.next();
        onCallbackThread(() -> h.deferral().reject(h.msg(), "timeout after 2000 ms"));
        assertEquals("nak 1000: gear a failed the message and its error port has no link: timeout after 2000 ms",
                outcome.get(5, TimeUnit.SECONDS));
        assertEquals(1, router.rows().get(0).errors());
    }

    @Test
    void aContextRejectionOutsideOnMessageGoesToTheErrorPortLikeAThrownOne() throws Exception {
        router.applyPatch(patch("gears: { src: timer, b: log }\nlinks: [ src.error -> b.in ]\n"));
        TestGears.Source src = new TestGears.Source();
        TestGears.Recorder b = new TestGears.Recorder(false);
        router.offerGear("src", src, "t");
        router.offerGear("b", b, "t");
        onCallbackThread(() -> src.context.reject(msg(11), "peer timed out"));
        FluxMsg error = b.received.get(0);
        assertEquals("peer timed out", error.meta(Gear.META_ERROR));
        assertEquals("src", error.meta(Gear.META_ERROR_GEAR));
        assertEquals(1, router.rows().stream().filter(r -> r.name().equals("src")).findFirst().orElseThrow().errors());
    }

    @Test
    void aDeferredEmitToAnUnboundGearFailsTheDeliveryInsteadOfBufferingIt() throws Exception {
        Deferring a = start("wire:requests -> a.in, a.out -> b.in");
        CompletableFuture<String> outcome = transport.deliverAsync("requests", msg(6));
        Deferring.Held h = a.next();
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        onCallbackThread(() -> {
            try {
                h.deferral().emit(Gear.PORT_OUT, h.msg());
            } catch (RuntimeException e) {
                thrown.complete(e);
            } finally {
                h.deferral().complete();
            }
        });
        assertTrue(thrown.get() instanceof BackPressureException, String.valueOf(thrown.get()));
        String nak = outcome.get(5, TimeUnit.SECONDS);
        assertTrue(nak.startsWith("nak 1000: gear a: deferred emit on 'out' failed: gear b is not bound"), nak);
        assertEquals(0, router.rows().get(1).buffered(), "nothing held in memory");
    }

    @Test
    void outsideAWireDeliveryADeferralJustEmitsAndCompletes() throws Exception {
        router.applyPatch(patch("gears: { src: timer, a: json.http, b: log }\nlinks: [ src.out -> a.in, a.out -> b.in ]\n"));
        TestGears.Source src = new TestGears.Source();
        Deferring a = new Deferring();
        TestGears.Recorder b = new TestGears.Recorder(false);
        router.offerGear("src", src, "t");
        router.offerGear("a", a, "t");
        router.offerGear("b", b, "t");
        src.context.emit(Gear.PORT_OUT, msg(7));
        Deferring.Held h = a.next();
        assertFalse(h.deferral().redelivers(), "a TCP or timer source cannot deliver it again");
        onCallbackThread(() -> {
            h.deferral().emit(Gear.PORT_OUT, h.msg());
            h.deferral().complete();
        });
        assertEquals(7L, b.received.get(0).getLong("seq"));
        assertThrows(IllegalStateException.class, () -> h.deferral().emit(Gear.PORT_OUT, h.msg()));
    }

    @Test
    void aSynchronousGearAfterTheHoldingOneStillCountsItsPublishes() throws Exception {
        Deferring a = start("wire:requests -> a.in, a.out -> b.in, b.out -> wire:responses");
        router.offerGear("b", new TestGears.Recorder(true), "t");
        CompletableFuture<String> outcome = transport.deliverAsync("requests", msg(8));
        Deferring.Held h = a.next();
        transport.failing = true;
        onCallbackThread(() -> {
            h.deferral().emit(Gear.PORT_OUT, h.msg());
            h.deferral().complete();
        });
        assertFalse(outcome.isDone(), "b's publish (made on the callback thread) is part of the delivery");
        transport.failing = false;
        assertEquals("ack", outcome.get(5, TimeUnit.SECONDS));
        assertEquals(8L, transport.published.get("responses").get(0).getLong("seq"));
    }
}
