package io.fluxrig.rack.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.msg.FluxMsg;
import io.fluxrig.rack.itest.JetStreamUnderTest.ConsumerState;
import io.fluxrig.rack.itest.probe.ProbeSink;
import io.fluxrig.rack.itest.probe.ProbeSource;
import io.fluxrig.testsupport.Await;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * json.http holds its wire request open while it calls a slow REST backend (Gear SPI 1.1
 * {@code GearContext.defer()}): against a real nats-server and a real JDK HttpServer, the request
 * stays unacknowledged on the broker while the backend is slow, is acknowledged once the decision
 * was published, and is delivered again (not lost) when the call yields no message or the gear is
 * stopped mid-call.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class DeferredDeliveryTest {
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
        nats = new JetStreamUnderTest(context, configAdmin);
        issuer = new IssuerBackend();
    }

    @AfterEach
    void stop() throws Exception {
        rack.writePatch("gears: {}\nlinks: []\n");
        issuer.close();
        nats.close();
    }

    /** Core-like patch: wire REQ -> json.http -> wire RESP -> probe; optional error link. */
    private String patch(String p, String timeout, boolean errorLink) {
        return """
                gears:
                  %1$s-src: { type: probe-source }
                  %1$s-issuer: { type: json.http, config: { url: "%2$s", target: decision, request.timeout.ms: %3$s } }
                  %1$s-out: { type: probe }
                  %1$s-err: { type: probe }
                links:
                  - %1$s-src.out -> wire:itest-%1$s-req
                  - wire:itest-%1$s-req -> %1$s-issuer.in
                  - %1$s-issuer.out -> wire:itest-%1$s-resp
                  - wire:itest-%1$s-resp -> %1$s-out.in
                """.formatted(p, issuer.url(), timeout)
                + (errorLink ? "  - %1$s-issuer.error -> %1$s-err.in\n".formatted(p) : "");
    }

    private ConsumerState consumer(String durable) {
        ConsumerState c = nats.consumer(durable);
        assertNotNull(c, "consumer " + durable + " on the server");
        return c;
    }

    private void awaitConsumer(String durable) throws InterruptedException {
        Await.until("consumer " + durable + " on the server", () -> nats.consumer(durable) != null);
    }

    @Test
    void requestsStayUnackedWhileTheBackendIsSlowAndAreAckedAfterTheDecisionWasPublished() throws Exception {
        // At most 2 unacknowledged deliveries per subscription: held requests count against it.
        Configuration stream = configAdmin.getFactoryConfiguration("fluxrig.wire.stream", "itest-dq1", "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("name", "ITEST_DQ1_REQ");
        props.put("wires", new String[] {"itest-dq1-req"});
        props.put("storage", "memory");
        props.put("max.in.flight", 2);
        stream.update(props);
        try {
            issuer.hold();
            rack.writePatch(patch("dq1", "30000", true));
            ProbeSource src = rack.gear("dq1-src", ProbeSource.class);
            ProbeSink out = rack.gear("dq1-out", ProbeSink.class);
            Await.until("issuer bound, source opened", () -> rack.registered("dq1-issuer") && src.isOpen());
            String durable = JetStreamUnderTest.durable("dq1-issuer", "itest-dq1-req");
            awaitConsumer(durable);

            for (int i = 1; i <= 3; i++) {
                src.emit(FluxMsg.builder().data("seq", i).data("pan", "4111111111111111").build());
            }
            Await.until("two calls reach the slow backend", () -> issuer.calls() == 2);
            // The server holds the third request back although the rack's fetch loop asks for more
            // (a pull request waits): it counts both deliveries unacknowledged after the rack
            // returned from handling them. A wrong nak shows in the end state below instead: the
            // request would be delivered again.
            Await.until("both held on the broker while the rack asks for more", () -> {
                ConsumerState c = consumer(durable);
                return c.ackPending() == 2 && c.pending() == 1 && c.waiting() > 0;
            });
            ConsumerState held = consumer(durable);
            assertEquals(2, held.ackPending(), "still unacknowledged while the backend is slow");
            assertEquals(0, held.redelivered(), "not naked either");
            assertEquals(2, issuer.calls(), "the third request waits on the broker, not in the rack's memory");
            assertTrue(out.received().isEmpty());

            issuer.release();
            Await.until("three decisions published and delivered", () -> out.received().size() == 3);
            Await.until("every request acknowledged", () -> consumer(durable).ackPending() == 0
                    && consumer(durable).ackFloorStreamSeq() == 3);
            ConsumerState done = consumer(durable);
            assertEquals(3, done.deliveredConsumerSeq(), "each request delivered once");
            assertEquals(3, issuer.calls());
            Set<Long> seqs = out.received().stream().map(m -> m.getLong("seq")).collect(Collectors.toSet());
            assertEquals(Set.of(1L, 2L, 3L), seqs);
            out.received().forEach(m -> assertEquals("00", m.getString("decision.response_code")));
        } finally {
            stream.delete();
        }
    }

    @Test
    void aFailedCallThatYieldsNoMessageIsDeliveredAgainNotLost() throws Exception {
        issuer.failNext(1);
        rack.writePatch(patch("dq2", "30000", false)); // no error link: the HTTP 500 has nowhere to go
        ProbeSource src = rack.gear("dq2-src", ProbeSource.class);
        ProbeSink out = rack.gear("dq2-out", ProbeSink.class);
        Await.until("issuer bound, source opened", () -> rack.registered("dq2-issuer") && src.isOpen());
        String durable = JetStreamUnderTest.durable("dq2-issuer", "itest-dq2-req");
        awaitConsumer(durable);

        src.emit(FluxMsg.builder().data("seq", 1).build());
        Await.until("the decision of the second attempt", () -> out.received().size() == 1);
        Await.until("acknowledged after it", () -> consumer(durable).ackFloorStreamSeq() == 1
                && consumer(durable).ackPending() == 0);
        assertEquals(2, issuer.calls(), "first call HTTP 500, then the redelivery succeeded");
        ConsumerState c = consumer(durable);
        assertEquals(1, c.deliveredStreamSeq());
        assertEquals(2, c.deliveredConsumerSeq(), "the same stream message was delivered twice");
        assertEquals("00", out.received().get(0).getString("decision.response_code"));
    }

    @Test
    void aGearStoppedMidCallGivesTheRequestBackAndTheNextBindingAnswersIt() throws Exception {
        issuer.hold();
        rack.writePatch(patch("dq3", "30000", true));
        ProbeSource src = rack.gear("dq3-src", ProbeSource.class);
        ProbeSink out = rack.gear("dq3-out", ProbeSink.class);
        ProbeSink err = rack.gear("dq3-err", ProbeSink.class);
        Await.until("issuer bound, source opened", () -> rack.registered("dq3-issuer") && src.isOpen());
        String durable = JetStreamUnderTest.durable("dq3-issuer", "itest-dq3-req");
        awaitConsumer(durable);

        src.emit(FluxMsg.builder().data("seq", 1).build());
        Await.until("the call reached the slow backend", () -> issuer.calls() == 1);
        Await.until("held on the broker", () -> consumer(durable).ackPending() == 1);

        // Reconfiguring the instance stops the gear (DS deactivates it) while its call is pending.
        rack.writePatch(patch("dq3", "30001", true));
        Await.until("the request delivered again, to the new binding", () -> issuer.calls() == 2);
        issuer.release();
        Await.until("one decision", () -> out.received().size() == 1);
        Await.until("acknowledged", () -> consumer(durable).ackPending() == 0
                && consumer(durable).ackFloorStreamSeq() == 1);
        // A later request as a marker: the first call's late answer (sent when the backend was
        // released, before this request existed) must not have produced a decision before it.
        src.emit(FluxMsg.builder().data("seq", 2).build());
        Await.until("the marker's decision", () -> out.received().size() >= 2);
        assertEquals(List.of(1L, 2L), out.received().stream().map(m -> m.getLong("seq")).toList(),
                "one decision for the given-back request, then the marker's");
        assertEquals(List.of(), err.received(), "not answered with an error either: it was given back");
        assertTrue(consumer(durable).deliveredConsumerSeq() >= 2);
    }
}
