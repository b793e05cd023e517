package io.fluxrig.rack.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.msg.FluxMsg;
import io.fluxrig.rack.itest.JetStreamUnderTest.ConsumerState;
import io.fluxrig.rack.itest.probe.ProbeSink;
import io.fluxrig.rack.itest.probe.ProbeSource;
import io.fluxrig.testsupport.Await;
import io.fluxrig.wire.WireDelivery;
import java.util.Hashtable;
import java.util.List;
import java.util.stream.LongStream;
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
 * The wire.jetstream bundle inside the rack, against a real nats-server started by the test: a
 * patch links a gear to {@code wire:NAME} and that wire to another gear; messages cross JetStream
 * in order and arrive with the wire's delivery meta.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class WireJetStreamTest {
    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin configAdmin;

    private JetStreamUnderTest nats;

    @BeforeEach
    void startNats() throws Exception {
        nats = new JetStreamUnderTest(context, configAdmin);
    }

    /**
     * The rack reports its wire transport as degraded while NATS is away and as connected again
     * once it is back, by itself (no rack restart): read through the rack's own Gogo command
     * {@code rack:gears}, which the console page and the Snake inventory read the same way.
     */
    @Test
    void theRackShowsTheWireDegradedWhileNatsIsDownAndRecoversByItself() throws Exception {
        Await.until("jetstream transport connected", () -> gearsCommand().contains("wire transport: connected"));
        nats.stop();
        Await.until("the rack reports the wire degraded",
                () -> gearsCommand().contains("wire transport: DEGRADED (broker unreachable)"));
        String degraded = gearsCommand();
        assertTrue(degraded.contains("NATS "), degraded);
        nats.start();
        Await.until("the rack reports the wire connected again", () -> gearsCommand().contains("wire transport: connected"));
    }

    private String gearsCommand() {
        try {
            var refs = context.getServiceReferences((String) null, "(osgi.command.scope=rack)");
            assertTrue(refs != null && refs.length == 1, "one rack command service");
            Object commands = context.getService(refs[0]);
            try {
                return (String) commands.getClass().getMethod("gears").invoke(commands);
            } finally {
                context.ungetService(refs[0]);
            }
        } catch (ReflectiveOperationException | org.osgi.framework.InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
    }

    @AfterEach
    void stopNats() throws Exception {
        new RackUnderTest(context).writePatch("gears: {}\nlinks: []\n");
        nats.close();
    }

    @Test
    void messagesCrossAJetStreamWireOnceEachAndInOrderOnAnOrderedWire() throws Exception {
        RackUnderTest rack = new RackUnderTest(context);
        // A stream for the ordered wire: one delivery in flight per subscription.
        Configuration stream = configAdmin.getFactoryConfiguration("fluxrig.wire.stream", "itest-seq", "?");
        Hashtable<String, Object> streamProps = new Hashtable<>();
        streamProps.put("name", "ITEST_SEQ");
        streamProps.put("wires", new String[] {"itest-seq"});
        streamProps.put("storage", "memory");
        streamProps.put("ordered", Boolean.TRUE);
        stream.update(streamProps);
        try {
            rack.writePatch("""
                    gears:
                      js-src: { type: probe-source }
                      js-any: { type: probe }
                      js-seq: { type: probe }
                    links:
                      - js-src.out -> wire:itest-any
                      - js-src.out -> wire:itest-seq
                      - wire:itest-any -> js-any.in
                      - wire:itest-seq -> js-seq.in
                    """);
            ProbeSource src = rack.gear("js-src", ProbeSource.class);
            ProbeSink any = rack.gear("js-any", ProbeSink.class);
            ProbeSink seq = rack.gear("js-seq", ProbeSink.class);
            Await.until("source opened", src::isOpen);

            for (int i = 1; i <= 300; i++) {
                src.emit(FluxMsg.builder().data("seq", i).build());
            }
            Await.until("300 messages through each wire",
                    () -> any.received().size() >= 300 && seq.received().size() >= 300);
            // No further delivery can come: on the server, each consumer has been delivered every
            // message of its stream once, has nothing pending, and every delivery is acknowledged.
            for (String durable : List.of(JetStreamUnderTest.durable("js-any", "itest-any"),
                    JetStreamUnderTest.durable("js-seq", "itest-seq"))) {
                Await.until(durable + " delivered each message once, all acknowledged", () -> {
                    ConsumerState c = nats.consumer(durable);
                    return c != null && c.ackFloorStreamSeq() == 300 && c.ackPending() == 0 && c.pending() == 0;
                });
                ConsumerState c = nats.consumer(durable);
                assertEquals(300, c.deliveredConsumerSeq(), durable + ": one delivery per message");
                assertEquals(0, c.redelivered(), durable);
            }

            // The default wire delivers in parallel: every message exactly once, any order.
            List<Long> anySeqs = any.received().stream().map(m -> m.getLong("seq")).sorted().toList();
            assertEquals(LongStream.rangeClosed(1, 300).boxed().toList(), anySeqs, "each message once");
            // The ordered wire keeps the order.
            List<FluxMsg> inOrder = seq.received();
            assertEquals(300, inOrder.size(), "no duplicates");
            for (int i = 0; i < 300; i++) {
                FluxMsg m = inOrder.get(i);
                assertEquals(i + 1L, m.getLong("seq"), "in order");
                assertEquals("itest-seq", m.meta(WireDelivery.META_WIRE));
                assertEquals("1", m.meta(WireDelivery.META_DELIVERY_COUNT));
                assertTrue(m.path().stream().anyMatch(h -> h.gear().equals("js-src")));
            }
        } finally {
            stream.delete();
        }
    }
}
