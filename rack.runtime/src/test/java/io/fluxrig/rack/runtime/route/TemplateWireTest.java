package io.fluxrig.rack.runtime.route;

import static io.fluxrig.rack.runtime.route.TestGears.msg;
import static io.fluxrig.rack.runtime.route.TestGears.patch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.gear.BackPressureException;
import io.fluxrig.gear.Gear;
import io.fluxrig.gear.GearContext;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.rack.runtime.patch.WireTemplate;
import io.fluxrig.testsupport.Await;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Link targets {@code wire:...${meta.KEY}}: one wire per message, chosen by its meta. */
class TemplateWireTest {
    private final Router router = new Router("core", 100, 100, 1_000);
    private final MemoryWireTransport transport = new MemoryWireTransport();
    private final ScheduledExecutorService delays = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void close() {
        router.close();
        delays.shutdownNow();
        executor.shutdownNow();
    }

    private static FluxMsg replyTo(long seq, String rack) {
        return msg(seq).toBuilder().meta("reply.rack", rack).build();
    }

    private void startCore() throws InterruptedException {
        router.applyPatch(patch("gears: { issuer: transform }\nlinks: [ wire:auth.requests -> issuer.in,"
                + " 'issuer.out -> wire:auth.responses.${meta.reply.rack}' ]\n"));
        router.transport(transport);
        Await.until("subscribed to auth.requests", () -> transport.subscribers.containsKey("auth.requests"));
        router.offerGear("issuer", forward(), "t");
    }

    @Test
    void eachMessageGoesToTheWireItsMetaNames() throws InterruptedException {
        startCore();
        assertEquals("ack", transport.deliver("auth.requests", replyTo(1, "edge-1")));
        assertEquals("ack", transport.deliver("auth.requests", replyTo(2, "edge-2")));
        assertEquals("ack", transport.deliver("auth.requests", replyTo(3, "edge-1")));
        assertEquals(List.of(1L, 3L), seqs("auth.responses.edge-1"));
        assertEquals(List.of(2L), seqs("auth.responses.edge-2"));
    }

    @Test
    void aMissingOrIllegalMetaValueNaksTheDeliveryNamingTheKey() throws InterruptedException {
        startCore();
        assertEquals("nak 1000: wire:auth.responses.${meta.reply.rack}: the message has no meta 'reply.rack'",
                transport.deliver("auth.requests", msg(4)));
        assertEquals("nak 1000: wire:auth.responses.${meta.reply.rack}: meta 'reply.rack' = 'edge 1' is not a wire name"
                + " part (letters, digits, '-', '_', single dots between, at most 64 characters)",
                transport.deliver("auth.requests", replyTo(5, "edge 1")));
        String outcome = transport.deliver("auth.requests", replyTo(6, "a..b"));
        assertTrue(outcome.startsWith("nak 1000: wire:auth.responses.${meta.reply.rack}: meta 'reply.rack' = 'a..b'"), outcome);
        assertTrue(transport.published.isEmpty(), "nothing published anywhere");
        assertEquals(3, router.rows().get(0).errors(), "the emitting gear saw each failure too");
    }

    @Test
    void outsideAWireDeliveryTheEmitterGetsTheError() {
        router.applyPatch(patch("gears: { src: timer }\nlinks: [ 'src.out -> wire:replies.${meta.reply.rack}' ]\n"));
        TestGears.Source src = new TestGears.Source();
        router.offerGear("src", src, "t");
        UnroutableException e = assertThrows(UnroutableException.class, () -> src.context.emit(Gear.PORT_OUT, msg(1)));
        assertEquals("wire:replies.${meta.reply.rack}: the message has no meta 'reply.rack'", e.getMessage());
    }

    @Test
    void outletsAreCachedAndBoundedLeastRecentlyUsedIdleFirst() throws InterruptedException {
        Dispatcher d = new Dispatcher("core", 1_000, delays);
        TemplateWireTarget t = new TemplateWireTarget(WireTemplate.parse("r.${meta.reply.rack}"), d,
                w -> new WireOutlet(w, d, 10, 10, executor, delays), 2);
        t.transport(transport);
        t.accept(replyTo(1, "a"));
        t.accept(replyTo(2, "b"));
        t.accept(replyTo(3, "a"));
        assertEquals(List.of("r.b", "r.a"), t.wires());
        Await.until("nothing waiting", () -> t.waiting() == 0);
        t.accept(replyTo(4, "c")); // full: b is the least recently used idle outlet
        assertEquals(List.of("r.a", "r.c"), t.wires());
        Await.until("nothing waiting", () -> t.waiting() == 0);
        t.transport(null); // now messages wait in their outlets
        t.accept(replyTo(5, "a"));
        t.accept(replyTo(6, "c"));
        BackPressureException full = assertThrows(BackPressureException.class, () -> t.accept(replyTo(7, "d")));
        assertEquals("wire:r.${meta.reply.rack}: 2 wires in use, all with messages waiting; cannot open wire r.d",
                full.getMessage());
        assertEquals(2, t.discard());
        assertEquals(List.of(), t.wires());
    }

    @Test
    void aTemplateLinkLeavingThePatchDropsItsOutlets() throws InterruptedException {
        startCore();
        transport.deliver("auth.requests", replyTo(1, "edge-1"));
        router.applyPatch(patch("gears: { issuer: transform }\nlinks: [ wire:auth.requests -> issuer.in,"
                + " 'issuer.out -> wire:auth.responses' ]\n"));
        assertEquals("ack", transport.deliver("auth.requests", replyTo(2, "edge-1")));
        assertEquals(List.of(2L), seqs("auth.responses"));
        assertEquals(List.of(1L), seqs("auth.responses.edge-1"));
    }

    private List<Long> seqs(String wire) {
        return transport.published.getOrDefault(wire, List.of()).stream().map(m -> m.getLong("seq")).toList();
    }

    private static Gear forward() {
        return new Gear() {
            @Override
            public void onMessage(String port, FluxMsg m, GearContext c) {
                c.emit(PORT_OUT, m);
            }
        };
    }
}
