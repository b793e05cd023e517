package io.fluxrig.rack.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.msg.FluxMsg;
import io.fluxrig.rack.spi.DeployOrigin;
import io.fluxrig.rack.spi.Deployer;
import io.fluxrig.rack.itest.probe.ProbeSink;
import io.fluxrig.rack.itest.probe.ProbeSource;
import io.fluxrig.telemetry.MessageSpans;
import io.fluxrig.telemetry.TelemetryStatus;
import io.fluxrig.testsupport.Await;
import io.fluxrig.testsupport.OtlpReceiver;
import io.fluxrig.testsupport.OtlpReceiver.ReceivedSpan;
import io.opentelemetry.api.OpenTelemetry;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * rack.telemetry inside the rack, configured through ConfigAdmin ({@code fluxrig.telemetry}),
 * exporting over OTLP/HTTP to a receiver in this test that decodes the protobuf itself; a real
 * nats-server carries the wire.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class TelemetryTest {
    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin configAdmin;

    private JetStreamUnderTest nats;
    private Configuration telemetry;

    @BeforeEach
    void start() throws Exception {
        nats = new JetStreamUnderTest(context, configAdmin);
        telemetry = configAdmin.getConfiguration("fluxrig.telemetry", "?");
    }

    @AfterEach
    void stop() throws Exception {
        new RackUnderTest(context).writePatch("gears: {}\nlinks: []\n");
        telemetry.delete();
        Await.until("tracing off again", () -> context.getServiceReference(OpenTelemetry.class) == null);
        nats.close();
    }

    private TelemetryStatus configure(String endpoint) throws Exception {
        return configure(endpoint, "span");
    }

    /** Tracing on towards {@code endpoint}, gear calls recorded as {@code gearCalls} says ({@code trace.gear.calls}). */
    private TelemetryStatus configure(String endpoint, String gearCalls) throws Exception {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("enabled", Boolean.TRUE);
        p.put("endpoint", endpoint);
        p.put("queue.size", 64);
        p.put("export.timeout.ms", 2000);
        p.put("trace.gear.calls", gearCalls);
        telemetry.update(p);
        Await.until("tracing on towards " + endpoint + ", gear calls as " + gearCalls, () -> {
            var ref = context.getServiceReference(OpenTelemetry.class);
            return ref != null && String.valueOf(ref.getProperty("fluxrig.telemetry.endpoint")).startsWith(endpoint)
                    && gearCalls.equals(ref.getProperty(MessageSpans.GEAR_CALLS));
        });
        TelemetryStatus status = context.getService(context.getServiceReference(TelemetryStatus.class));
        assertTrue(status.tracing(), status.describe());
        return status;
    }

    /**
     * Probe gears {@code <prefix>-src} and {@code <prefix>-sink} linked through the wire {@code wire},
     * and {@code msg} emitted by the source once both are bound, so the sink is called on the wire's
     * delivery thread inside the delivery's process span (a sink not bound yet would get it later,
     * from a worker).
     *
     * @return the sink, once it has received the message
     */
    private ProbeSink throughWire(String prefix, String wire, FluxMsg msg) throws Exception {
        RackUnderTest rack = new RackUnderTest(context);
        rack.writePatch("""
                gears:
                  %1$s-src: { type: probe-source }
                  %1$s-sink: { type: probe }
                links:
                  - %1$s-src.out -> wire:%2$s
                  - wire:%2$s -> %1$s-sink.in
                """.formatted(prefix, wire));
        ProbeSource src = rack.gear(prefix + "-src", ProbeSource.class);
        ProbeSink sink = rack.gear(prefix + "-sink", ProbeSink.class);
        Await.until("both gears bound", () -> rack.bound(prefix + "-src", prefix + "-sink"));
        Await.until("source opened", src::isOpen);
        src.emit(msg);
        Await.until("delivered", () -> sink.received().size() == 1);
        return sink;
    }

    /**
     * One message: source → wire → gear. Its spans reach the collector as one trace: the source's
     * SERVER span, the wire's send (child of it) and process (child of send, with a link to it),
     * and the receiving gear's span (child of process), each with its attributes.
     */
    @Test
    void oneMessageIsOneTraceAcrossTheWire() throws Exception {
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            configure(receiver.endpoint());
            FluxMsg m = FluxMsg.builder().meta("iso.mti", "0200").data("pan", "4111111111111111").build();
            ProbeSink sink = throughWire("tr", "itest-traced", m);
            String id = m.id().toString();
            Await.until("four spans of the message at the collector", () -> receiver.spans(s -> s.spanId().length() > 0
                    && (id.equals(s.attr("fluxrig.message.id")) || String.valueOf(s.attr("messaging.message.id")).startsWith(id)))
                    .size() == 4);
            Map<String, ReceivedSpan> byName = receiver.spans(s -> id.equals(s.attr("fluxrig.message.id"))
                    || String.valueOf(s.attr("messaging.message.id")).startsWith(id)).stream()
                    .collect(Collectors.toMap(ReceivedSpan::name, Function.identity()));
            ReceivedSpan root = byName.get("probe-source tr-src");
            ReceivedSpan send = byName.get("send itest-traced");
            ReceivedSpan process = byName.get("process itest-traced");
            ReceivedSpan gear = byName.get("probe tr-sink");
            assertTrue(root != null && send != null && process != null && gear != null, byName.toString());
            assertEquals("SPAN_KIND_SERVER", root.kind());
            assertEquals("", root.parentSpanId());
            for (ReceivedSpan s : List.of(send, process, gear)) {
                assertEquals(root.traceId(), s.traceId(), "one trace: " + s);
            }
            assertEquals(root.spanId(), send.parentSpanId());
            assertEquals("SPAN_KIND_PRODUCER", send.kind());
            assertEquals(send.spanId(), process.parentSpanId());
            assertEquals(List.of(send.spanId()), process.linkedSpanIds());
            assertEquals("SPAN_KIND_CONSUMER", process.kind());
            assertEquals("nats", process.attr("messaging.system"));
            assertEquals("itest-traced", process.attr("messaging.destination.name"));
            assertEquals(JetStreamUnderTest.durable("tr-sink", "itest-traced"), process.attr("messaging.consumer.group.name"));
            assertEquals(process.spanId(), gear.parentSpanId());
            assertEquals("itest", gear.resource().get("fluxrig.rack"), "the rack: the spans' resource");
            assertEquals("probe", gear.attr("fluxrig.gear.type"));
            assertEquals("tr-sink", gear.attr("fluxrig.gear.instance"));
            assertEquals("ok", gear.attr("fluxrig.outcome"));
            assertEquals("0200", gear.attr("iso8583.mti"));
            assertEquals("itest", gear.resource().get("service.instance.id"));
            assertTrue(receiver.spans().stream().noneMatch(s -> s.toString().contains("4111111111111111")),
                    "no card number in any span");
            assertEquals("00-" + gear.traceId() + "-" + process.spanId(), sink.received().get(0).trace().substring(0, 52));
        }
    }

    /**
     * With {@code trace.gear.calls=failures} a gear call that succeeds leaves no span: one message's
     * spans are the source's and the wire's send and process, and the receiving gear ran inside the
     * process span (what it got carries that span).
     */
    @Test
    void withGearCallsAsFailuresOnlyASuccessfulCallLeavesNoSpan() throws Exception {
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            configure(receiver.endpoint(), MessageSpans.GEAR_CALLS_FAILURES);
            FluxMsg m = FluxMsg.builder().meta("iso.mti", "0200").build();
            ProbeSink sink = throughWire("fo", "itest-failures", m);
            String id = m.id().toString();
            Predicate<ReceivedSpan> ofMessage = s -> id.equals(s.attr("fluxrig.message.id"))
                    || String.valueOf(s.attr("messaging.message.id")).startsWith(id);
            // The gear's call ran inside the process span on the delivery thread (throughWire): a span of it would have
            // ended, and been queued for export, before the process span around it; the batch processor exports in that order.
            Await.until("the delivery's process span at the collector",
                    () -> receiver.spans(s -> ofMessage.test(s) && s.name().equals("process itest-failures")).size() == 1);
            Map<String, ReceivedSpan> byName = receiver.spans(ofMessage).stream()
                    .collect(Collectors.toMap(ReceivedSpan::name, Function.identity()));
            assertEquals(Set.of("probe-source fo-src", "send itest-failures", "process itest-failures"), byName.keySet(),
                    byName.toString());
            ReceivedSpan process = byName.get("process itest-failures");
            assertEquals(byName.get("send itest-failures").spanId(), process.parentSpanId());
            assertEquals("00-" + process.traceId() + "-" + process.spanId(), sink.received().get(0).trace().substring(0, 52),
                    "the gear got the message under the process span");
        }
    }

    /**
     * A gear bundle installed and a patch applied as a rollout's commands do (the rack's Deployer
     * with the command's rollout id and the release's sequence): the spans of that bundle's gears
     * name the bundle, its version, the rollout and the sequence; when a later rollout applies the
     * patch, they name that one (the newer change); a gear of a bundle no rollout installed names none.
     */
    @Test
    void theSpansOfAGearARolloutInstalledNameTheRollout(@TempDir Path tmp) throws Exception {
        RackUnderTest rack = new RackUnderTest(context);
        Path mine = rack.gearsDir().resolve(RackUnderTest.GEAR_BASIC + ".jar");
        Files.deleteIfExists(mine); // left by an interrupted earlier run (gears/ outlives the framework)
        rack.removeGearBasic();
        ServiceReference<Deployer> ref = context.getServiceReference(Deployer.class);
        Deployer deployer = context.getService(ref);
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            configure(receiver.endpoint());
            Path artifact = Files.copy(Path.of(context.getProperty("fluxrig.itest.gear.basic.jar")), tmp.resolve("gear.basic.jar"));
            deployer.installBundle(artifact, "gear.basic.jar sha256:0123456789ab..", new DeployOrigin("0123456789abcdef", 5));
            String version = rack.bundle(RackUnderTest.GEAR_BASIC).orElseThrow().getVersion().toString();
            String yaml = """
                    gears:
                      ro-src: { type: probe-source }
                      ro-up: { type: transform, config: { upper: [text] } }
                      ro-sink: { type: probe }
                    links:
                      - ro-src.out -> ro-up.in
                      - ro-up.out -> ro-sink.in
                    """;
            rack.writePatch(yaml);
            ProbeSource src = rack.gear("ro-src", ProbeSource.class);
            ProbeSink sink = rack.gear("ro-sink", ProbeSink.class);
            Await.until("transform instance bound", () -> rack.registered("ro-up"));
            Await.until("source opened", src::isOpen);

            ReceivedSpan up = spanOf(receiver, src, sink, "transform ro-up");
            assertEquals(RackUnderTest.GEAR_BASIC, up.attr("fluxrig.gear.bundle"));
            assertEquals(version, up.attr("fluxrig.gear.bundle.version"));
            assertEquals("0123456789abcdef", up.attr("fluxrig.rollout.id"));
            assertEquals("5", up.attr("fluxrig.release.sequence"));
            ReceivedSpan probe = receiver.spans(s -> s.name().equals("probe ro-sink")).get(0);
            assertEquals("io.fluxrig.rack.itest", probe.attr("fluxrig.gear.bundle"));
            assertNull(probe.attr("fluxrig.rollout.id"), "a bundle no rollout installed: " + probe);

            // A later rollout applies the patch (the transform's configuration changes): its id is the newer change.
            Path patch = Files.writeString(tmp.resolve("p.yaml"), yaml.replace("upper: [text]", "upper: [text, note]"));
            deployer.applyPatch(patch, "p.yaml sha256:0123456789ab..", "unsigned (development mode)",
                    new DeployOrigin("fedcba9876543210", 0));
            ReceivedSpan after = spanOf(receiver, src, sink, "transform ro-up");
            assertEquals("fedcba9876543210", after.attr("fluxrig.rollout.id"), after.toString());
            assertNull(after.attr("fluxrig.release.sequence"), "an unsigned patch has no sequence: " + after);
            assertEquals(version, after.attr("fluxrig.gear.bundle.version"));
        } finally {
            context.ungetService(ref);
            Files.deleteIfExists(mine);
            Await.until("gear.basic uninstalled", () -> rack.bundle(RackUnderTest.GEAR_BASIC).isEmpty());
        }
    }

    /** Sends one message through the source and returns its span of this name, once the collector has it. */
    private static ReceivedSpan spanOf(OtlpReceiver receiver, ProbeSource src, ProbeSink sink, String name) throws InterruptedException {
        int before = sink.received().size();
        FluxMsg m = FluxMsg.builder().data("text", "rolled").build();
        src.emit(m);
        Await.until("delivered", () -> sink.received().size() == before + 1);
        String id = m.id().toString();
        Await.until("the span '" + name + "' of message " + id + " at the collector",
                () -> !receiver.spans(s -> name.equals(s.name()) && id.equals(s.attr("fluxrig.message.id"))).isEmpty());
        return receiver.spans(s -> name.equals(s.name()) && id.equals(s.attr("fluxrig.message.id"))).get(0);
    }

    /**
     * A collector that refuses every export, then one that is not there at all: messages keep
     * flowing through the rack and across the wire while the dropped-span count rises.
     */
    @Test
    void aRefusingOrDeadCollectorNeverStopsTheMessages() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            receiver.refuse(true);
            RackUnderTest rack = new RackUnderTest(context);
            rack.writePatch("""
                    gears:
                      dc-src: { type: probe-source }
                      dc-sink: { type: probe }
                    links:
                      - dc-src.out -> wire:itest-deadcollector
                      - wire:itest-deadcollector -> dc-sink.in
                    """);
            ProbeSource src = rack.gear("dc-src", ProbeSource.class);
            ProbeSink sink = rack.gear("dc-sink", ProbeSink.class);
            Await.until("source opened", src::isOpen);
            int sent = 0;
            for (String endpoint : new String[] {receiver.endpoint(), "http://127.0.0.1:" + deadPort}) {
                TelemetryStatus status = configure(endpoint);
                long before = status.spansDropped();
                // Far more spans (4 per message) than the export queue (64) holds.
                for (int i = 0; i < 300; i++) {
                    src.emit(FluxMsg.builder().data("seq", (long) sent++).build());
                }
                int expected = sent;
                Await.until("all " + expected + " messages delivered while the collector at " + endpoint + " fails",
                        () -> sink.received().size() == expected);
                Await.until("dropped spans counted", () -> status.spansDropped() > before);
                assertEquals(0, status.spansExported(), status.describe());
            }
            assertTrue(receiver.refusedRequests() > 0);
            assertTrue(receiver.spans().isEmpty());
        }
    }
}
