package io.fluxrig.rack.runtime.route;

import static io.fluxrig.rack.runtime.route.TestGears.msg;
import static io.fluxrig.rack.runtime.route.TestGears.patch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.gear.Gear;
import io.fluxrig.gear.GearContext;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.testsupport.Await;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Links to and from wires, against the in-memory transport. */
class WireLinkTest {
    private final Router router = new Router("edge", 100, 100, 1_000);
    private final MemoryWireTransport transport = new MemoryWireTransport();

    @AfterEach
    void close() {
        router.close();
    }

    @Test
    void outgoingWaitsForTransportThenPublishesInOrderAndRetriesFailures() throws InterruptedException {
        router.applyPatch(patch("gears: { src: timer }\nlinks: [ src.out -> wire:orders ]\n"));
        TestGears.Source src = new TestGears.Source();
        router.offerGear("src", src, "t");
        for (long i = 1; i <= 3; i++) {
            src.context.emit(Gear.PORT_OUT, msg(i));
        }
        transport.failing = true;
        router.transport(transport);
        Await.until("the three messages tried and refused", () -> transport.refused.get() >= 3);
        assertTrue(transport.published.isEmpty());
        transport.failing = false; // the publisher retries every second
        Await.until("3 published on orders", () -> transport.published.getOrDefault("orders", List.of()).size() == 3);
        src.context.emit(Gear.PORT_OUT, msg(4));
        Await.until("4 published on orders", () -> transport.published.get("orders").size() == 4);
        List<FluxMsg> sent = transport.published.get("orders");
        for (int i = 0; i < 4; i++) {
            assertEquals(i + 1L, sent.get(i).getLong("seq"));
            assertEquals("src", sent.get(i).path().get(0).gear());
        }
    }

    @Test
    void incomingDeliversSynchronouslyAcksAndNaksWhenNotBound() throws InterruptedException {
        router.applyPatch(patch("gears: { a: log }\nlinks: [ wire:requests -> a.in ]\n"));
        router.transport(transport);
        Await.until("subscribed to requests", () -> transport.subscribers.containsKey("requests"));
        assertEquals(List.of("edge-a-requests"), transport.consumers);
        assertEquals("nak 1000: gear a is not bound", transport.deliver("requests", msg(1)));
        TestGears.Recorder a = new TestGears.Recorder(false);
        router.offerGear("a", a, "t");
        assertEquals("ack", transport.deliver("requests", msg(2)));
        assertEquals(1, a.received.size());
        assertEquals(2L, a.received.get(0).getLong("seq"));
    }

    @Test
    void incomingNeverWaitsInMemoryDownstreamItIsRefusedAndRedelivered() throws InterruptedException {
        router.applyPatch(patch("gears: { a: transform, b: log }\nlinks: [ wire:requests -> a.in, a.out -> b.in ]\n"));
        router.transport(transport);
        Await.until("subscribed to requests", () -> transport.subscribers.containsKey("requests"));
        router.offerGear("a", forward(), "t");
        // b is not bound: acking while the message waits for b in memory could lose it, so the
        // delivery is refused at once and nothing is buffered.
        String outcome = transport.deliver("requests", msg(1));
        assertTrue(outcome.startsWith("nak 1000: io.fluxrig.gear.BackPressureException: gear b is not bound"), outcome);
        assertEquals(0, router.rows().get(1).buffered());
        TestGears.Recorder b = new TestGears.Recorder(false);
        router.offerGear("b", b, "t");
        assertEquals("ack", transport.deliver("requests", msg(1)));
        assertEquals(1L, b.received.get(0).getLong("seq"));
    }

    @Test
    void wireToWireIsAckedOnlyAfterTheOutgoingPublishWasAcked() throws InterruptedException {
        router.applyPatch(patch("gears: { a: transform }\nlinks: [ wire:requests -> a.in, a.out -> wire:responses ]\n"));
        router.transport(transport);
        Await.until("subscribed to requests", () -> transport.subscribers.containsKey("requests"));
        router.offerGear("a", forward(), "t");
        transport.failing = true;
        assertEquals("none", transport.deliver("requests", msg(7), 300), "not acked while the publish fails");
        transport.failing = false; // the outlet retries every second; then the delivery is acked
        Await.until("1 published on responses", () -> transport.published.getOrDefault("responses", List.of()).size() == 1);
        assertEquals(7L, transport.published.get("responses").get(0).getLong("seq"));
        assertEquals("ack", transport.deliver("requests", msg(8)));
        assertEquals(2, transport.published.get("responses").size());
    }

    @Test
    void aConsumerGroupNamesTheDurableConsumerAndChangingItSubscribesAgain() throws InterruptedException {
        router.applyPatch(patch("group: core\ngears: { a: log }\nlinks: [ wire:requests -> a.in ]\n"));
        router.transport(transport);
        Await.until("subscribed to requests", () -> transport.subscribers.containsKey("requests"));
        assertEquals(List.of("core-a-requests"), transport.consumers, "the group's name, not the rack's (edge)");
        router.applyPatch(patch("gears: { a: log }\nlinks: [ wire:requests -> a.in ]\n"));
        Await.until("subscribed again as the rack's own consumer", () -> transport.consumers.size() == 2);
        assertEquals(List.of("core-a-requests", "edge-a-requests"), transport.consumers);
    }

    @Test
    void aFailedSubscriptionIsRetried() throws InterruptedException {
        transport.subscribeFailures.set(2);
        router.applyPatch(patch("gears: { a: log }\nlinks: [ wire:requests -> a.in ]\n"));
        router.transport(transport);
        Await.until("subscribed to requests", () -> transport.subscribers.containsKey("requests"));
        assertEquals(0, transport.subscribeFailures.get());
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
