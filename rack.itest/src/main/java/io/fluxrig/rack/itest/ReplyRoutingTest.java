package io.fluxrig.rack.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.msg.FluxMsg;
import io.fluxrig.rack.itest.probe.ProbeSink;
import io.fluxrig.rack.itest.probe.ProbeSource;
import io.fluxrig.testsupport.Await;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * Several edge racks share one core: each edge stamps its reply address into the request's meta
 * (transform {@code meta: [reply.rack=...]}, with the patch variable {@code ${rack}}), and the
 * core answers on {@code wire:...${meta.reply.rack}}. Real nats-server and a real JDK HttpServer
 * issuer. The rack under test plays both edges and the core (one framework, rack name "itest");
 * the wires between them are real JetStream wires. A request without the meta is refused and ends
 * in the dead-letter wire, never silently dropped.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class ReplyRoutingTest {
    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin configAdmin;

    private JetStreamUnderTest nats;
    private IssuerBackend issuer;
    private RackUnderTest rack;

    @BeforeEach
    void start() throws Exception {
        rack = new RackUnderTest(context);
        rack.deployGearBasic();
        nats = new JetStreamUnderTest(context, configAdmin);
        issuer = new IssuerBackend();
    }

    @AfterEach
    void stop() throws Exception {
        rack.writePatch("gears: {}\nlinks: []\n");
        issuer.close();
        nats.close();
    }

    @Test
    void oneCoreAnswersTwoEdgeRacksOnTheirOwnReplyWires() throws Exception {
        rack.writePatch("""
                gears:
                  # edge "itest" (this rack's own name, via ${rack}) and edge "edge-b"
                  rr-term-a: { type: probe-source }
                  rr-stamp-a: { type: transform, config: { meta: [ "reply.rack=${rack}" ] } }
                  rr-term-b: { type: probe-source }
                  rr-stamp-b: { type: transform, config: { meta: [ "reply.rack=edge-b" ] } }
                  rr-unstamped: { type: probe-source }
                  rr-answers-a: { type: probe }
                  rr-answers-b: { type: probe }
                  rr-dead: { type: probe }
                  # the core
                  rr-issuer: { type: json.http, config: { url: "%s", target: decision } }
                links:
                  - rr-term-a.out -> rr-stamp-a.in
                  - rr-stamp-a.out -> wire:itest-rr-req
                  - rr-term-b.out -> rr-stamp-b.in
                  - rr-stamp-b.out -> wire:itest-rr-req
                  - rr-unstamped.out -> wire:itest-rr-req
                  - wire:itest-rr-req -> rr-issuer.in
                  - rr-issuer.out -> wire:itest-rr-resp.${meta.reply.rack}
                  - wire:itest-rr-resp.${rack} -> rr-answers-a.in
                  - wire:itest-rr-resp.edge-b -> rr-answers-b.in
                  - wire:itest-rr-req.dlq -> rr-dead.in
                """.formatted(issuer.url()));
        ProbeSource termA = rack.gear("rr-term-a", ProbeSource.class);
        ProbeSource termB = rack.gear("rr-term-b", ProbeSource.class);
        ProbeSource unstamped = rack.gear("rr-unstamped", ProbeSource.class);
        ProbeSink answersA = rack.gear("rr-answers-a", ProbeSink.class);
        ProbeSink answersB = rack.gear("rr-answers-b", ProbeSink.class);
        ProbeSink dead = rack.gear("rr-dead", ProbeSink.class);
        Await.until("core and edges bound", () -> rack.registered("rr-issuer") && rack.registered("rr-stamp-a")
                && rack.registered("rr-stamp-b") && termA.isOpen() && termB.isOpen() && unstamped.isOpen());
        String durable = JetStreamUnderTest.durable("rr-issuer", "itest-rr-req");
        Await.until("core subscribed", () -> nats.consumer(durable) != null);

        for (int i = 1; i <= 3; i++) {
            termA.emit(FluxMsg.builder().data("seq", i).data("terminal", "A").build());
            termB.emit(FluxMsg.builder().data("seq", 10 + i).data("terminal", "B").build());
        }
        Await.until("three answers on each edge's reply wire",
                () -> answersA.received().size() == 3 && answersB.received().size() == 3);
        for (FluxMsg m : answersA.received()) {
            assertEquals("A", m.getString("terminal"));
            assertEquals("itest", m.meta("reply.rack"));
            assertEquals("itest-rr-resp.itest", m.meta("wire.name"));
            assertEquals("00", m.getString("decision.response_code"));
        }
        for (FluxMsg m : answersB.received()) {
            assertEquals("B", m.getString("terminal"));
            assertEquals("itest-rr-resp.edge-b", m.meta("wire.name"));
        }

        // No reply address: refused with the key named, redelivered, then dead-lettered.
        unstamped.emit(FluxMsg.builder().data("seq", 99).build());
        Await.until("the unroutable request in the dead-letter wire", () -> dead.received().size() == 1);
        assertEquals(99L, dead.received().get(0).getLong("seq"));
        assertEquals(3, answersA.received().size());
        assertEquals(3, answersB.received().size());
        assertTrue(issuer.calls() >= 7, "the issuer was asked each time it was delivered: " + issuer.calls());
        Await.until("nothing left unacknowledged", () -> nats.consumer(durable).ackPending() == 0);
        assertEquals(List.of(), answersA.received().stream().filter(m -> m.getLong("seq") == 99L).toList());
    }
}
