package io.fluxrig.rack.runtime.route;

import static io.fluxrig.rack.runtime.route.TestGears.patch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.gear.Gear;
import io.fluxrig.gear.GearContext;
import io.fluxrig.gear.GearRejection;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.rack.runtime.deploy.GearOrigins;
import io.fluxrig.rack.spi.DeployOrigin;
import io.fluxrig.telemetry.MessageSpans;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The router's spans, recorded by the real SDK into memory. */
class GearTracingTest {
    private static final String CHAIN = "gears: { src: timer, a: transform, b: log }\nlinks: [ src.out -> a.in, a.out -> b.in ]\n";

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .build();
    private final Router router = new Router("edge", 100, 1_000, 1_000);

    @AfterEach
    void close() {
        router.close();
        otel.close();
    }

    /** The source and last gear of {@link #CHAIN}. */
    private record Chain(TestGears.Source src, TestGears.Recorder b) {
    }

    /** {@link #CHAIN} traced by {@code sdk} (bound with {@code properties} as its service's), every gear of {@code bundle}. */
    private Chain chain(OpenTelemetrySdk sdk, Map<String, ?> properties, String bundle) {
        Chain c = new Chain(new TestGears.Source(), new TestGears.Recorder(false));
        chain(sdk, properties, bundle, c.src(), c.b());
        return c;
    }

    /** {@link #CHAIN} with {@code src} and {@code b} as its source and last gear, traced by {@code sdk} bound with {@code properties}. */
    private void chain(OpenTelemetrySdk sdk, Map<String, ?> properties, String bundle, TestGears.Source src, Gear b) {
        router.applyPatch(patch(CHAIN));
        router.telemetry(sdk, properties);
        router.offerGear("src", src, bundle);
        router.offerGear("a", new TestGears.Recorder(true), bundle);
        router.offerGear("b", b, bundle);
    }

    /** @return a gear that rejects every message with {@code reason} */
    private static Gear rejecting(String reason) {
        return new Gear() {
            @Override
            public void onMessage(String port, FluxMsg msg, GearContext c) throws GearRejection {
                throw new GearRejection(reason);
            }
        };
    }

    private Map<String, SpanData> byName() {
        return spans.getFinishedSpanItems().stream().collect(Collectors.toMap(SpanData::getName, s -> s));
    }

    @Test
    void gearSpansNameTheBundleAndTheRolloutThatInstalledIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
        GearOrigins origins = new GearOrigins(tmp.resolve("origins.properties"));
        origins.bundle("io.example.gear", "1.2.0", new DeployOrigin("0123456789abcdef", 7), 1_000);
        router.origins(origins);
        router.applyPatch(patch(CHAIN));
        router.telemetry(otel);
        TestGears.Source src = new TestGears.Source();
        router.offerGear("src", src, "io.example.gear 1.2.0");
        router.offerGear("a", new TestGears.Recorder(true), "io.example.gear 1.2.0");
        router.offerGear("b", new TestGears.Recorder(false), "io.example.other 3.0.0");
        src.context.emit(Gear.PORT_OUT, FluxMsg.builder().build());

        Map<String, SpanData> s = byName();
        for (String name : List.of("timer src", "transform a")) {
            SpanData span = s.get(name);
            assertEquals("io.example.gear", span.getAttributes().get(GearTracing.BUNDLE), name);
            assertEquals("1.2.0", span.getAttributes().get(GearTracing.BUNDLE_VERSION), name);
            assertEquals("0123456789abcdef", span.getAttributes().get(GearTracing.ROLLOUT), name);
            assertEquals(7L, span.getAttributes().get(GearTracing.RELEASE_SEQUENCE), name);
        }
        SpanData other = s.get("log b");
        assertEquals("io.example.other", other.getAttributes().get(GearTracing.BUNDLE));
        assertEquals("3.0.0", other.getAttributes().get(GearTracing.BUNDLE_VERSION));
        assertNull(other.getAttributes().get(GearTracing.ROLLOUT), "a bundle no rollout installed names none");

        // A later rollout of the same version is seen by the next message; a deploy outside any rollout forgets it.
        spans.reset();
        origins.bundle("io.example.gear", "1.2.0", new DeployOrigin("fedcba9876543210", 0), 2_000);
        src.context.emit(Gear.PORT_OUT, FluxMsg.builder().build());
        assertEquals("fedcba9876543210", byName().get("transform a").getAttributes().get(GearTracing.ROLLOUT));
        assertNull(byName().get("transform a").getAttributes().get(GearTracing.RELEASE_SEQUENCE), "unsigned: no sequence");
        spans.reset();
        origins.bundle("io.example.gear", "1.2.0", DeployOrigin.NONE, 3_000);
        src.context.emit(Gear.PORT_OUT, FluxMsg.builder().build());
        assertNull(byName().get("transform a").getAttributes().get(GearTracing.ROLLOUT));
        assertEquals("1.2.0", byName().get("transform a").getAttributes().get(GearTracing.BUNDLE_VERSION));
    }

    @Test
    void aBundleWithoutAVersionGivesNoBundleAttributes() {
        assertTrue(GearTracing.describe("?", null).isEmpty());
        assertTrue(GearTracing.describe(null, null).isEmpty());
        assertEquals(2, GearTracing.describe("io.x 1.0.0", null).size());
        assertEquals(4, GearTracing.describe("io.x 1.0.0", new GearOrigins.Origin("r", 3, 1)).size());
    }

    @Test
    void aSourceStartsATraceAndEveryGearCallIsAChildSpanOfTheOneBefore() {
        Chain chain = chain(otel, Map.of(), "t");
        TestGears.Recorder b = chain.b();
        FluxMsg request = FluxMsg.builder().meta("iso.mti", "0200").data("39", "00").build();
        chain.src().context.emit(Gear.PORT_OUT, request);

        Map<String, SpanData> s = byName();
        assertEquals(3, s.size(), s.keySet().toString());
        SpanData root = s.get("timer src");
        SpanData a = s.get("transform a");
        SpanData logB = s.get("log b");
        assertEquals(SpanKind.SERVER, root.getKind());
        assertFalse(root.getParentSpanContext().isValid());
        assertEquals(root.getSpanId(), a.getParentSpanId());
        assertEquals(a.getSpanId(), logB.getParentSpanId());
        assertEquals(root.getTraceId(), logB.getTraceId());
        assertEquals("transform", a.getAttributes().get(GearTracing.GEAR_TYPE));
        assertEquals("a", a.getAttributes().get(GearTracing.GEAR_INSTANCE));
        assertEquals(request.id().toString(), a.getAttributes().get(GearTracing.MESSAGE_ID));
        assertEquals("ok", a.getAttributes().get(GearTracing.OUTCOME));
        assertEquals("0200", a.getAttributes().get(GearTracing.MTI));
        assertEquals("00", a.getAttributes().get(GearTracing.RESPONSE_CODE));
        assertEquals("src", root.getAttributes().get(GearTracing.GEAR_INSTANCE));
        assertEquals(request.id().toString(), root.getAttributes().get(GearTracing.MESSAGE_ID));
        assertEquals("0200", root.getAttributes().get(GearTracing.MTI));
        assertEquals("ok", root.getAttributes().get(GearTracing.OUTCOME));
        // The message the last gear got carries its parent's span as W3C traceparent.
        assertEquals("00-" + a.getTraceId() + "-" + a.getSpanId() + "-" + a.getSpanContext().getTraceFlags().asHex(),
                b.received.get(0).trace());
    }

    @Test
    void aMessageWithATraceContinuesItAndARejectionIsAnErrorWithItsReasonMasked() {
        router.applyPatch(patch("gears: { src: timer, a: transform }\nlinks: [ src.out -> a.in ]\n"));
        router.telemetry(otel);
        TestGears.Source src = new TestGears.Source();
        router.offerGear("src", src, "t");
        router.offerGear("a", rejecting("card 4111111111111111 refused"), "t");
        String parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        src.context.emit(Gear.PORT_OUT, FluxMsg.builder().trace(parent).build());

        List<SpanData> all = spans.getFinishedSpanItems();
        assertEquals(1, all.size(), "a message that has a trace starts no new one: " + all);
        SpanData a = all.get(0);
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", a.getTraceId());
        assertEquals("00f067aa0ba902b7", a.getParentSpanId());
        assertEquals("rejected", a.getAttributes().get(GearTracing.OUTCOME));
        assertEquals(StatusCode.ERROR, a.getStatus().getStatusCode());
        assertFalse(a.getStatus().getDescription().contains("4111111111111111"), a.getStatus().getDescription());
        assertTrue(a.getStatus().getDescription().contains("411111"), a.getStatus().getDescription());
    }

    @Test
    void withoutTelemetryNoSpanAndNoTrace() {
        router.applyPatch(patch(CHAIN));
        router.telemetry(otel);
        router.telemetry(null);
        TestGears.Source src = new TestGears.Source();
        TestGears.Recorder b = new TestGears.Recorder(false);
        router.offerGear("src", src, "t");
        router.offerGear("a", new TestGears.Recorder(true), "t");
        router.offerGear("b", b, "t");
        src.context.emit(Gear.PORT_OUT, FluxMsg.builder().build());
        assertEquals(1, b.received.size());
        assertNull(b.received.get(0).trace());
        assertTrue(spans.getFinishedSpanItems().isEmpty());
    }

    /** The rack's keep-errors sampling as rack.telemetry builds it: unsampled spans are recorded, and exported by the processor. */
    private static OpenTelemetrySdk keepErrors(InMemorySpanExporter out) {
        Sampler parentBased = Sampler.parentBased(Sampler.alwaysOn());
        Sampler recordAll = new Sampler() {
            @Override
            public SamplingResult shouldSample(Context parent, String traceId, String name, SpanKind kind, Attributes attributes,
                    List<LinkData> links) {
                SamplingResult r = parentBased.shouldSample(parent, traceId, name, kind, attributes, links);
                return r.getDecision() == SamplingDecision.DROP ? SamplingResult.recordOnly() : r;
            }

            @Override
            public String getDescription() {
                return "recordAll";
            }
        };
        return OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder().setSampler(recordAll)
                .addSpanProcessor(SimpleSpanProcessor.builder(out).setExportUnsampledSpans(true).build()).build()).build();
    }

    private static final String UNSAMPLED = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00";

    @Test
    void anUnsampledCallMakesNoSpanAndARejectedOneIsMadeAfterwardsWithItsStartParentAndAttributes() {
        try (OpenTelemetrySdk keep = keepErrors(spans)) {
            router.applyPatch(patch("gears: { src: timer, a: transform, r: log }\nlinks: [ src.out -> a.in, a.out -> r.in ]\n"));
            router.telemetry(keep, Map.of(MessageSpans.KEEP_ERRORS, true, MessageSpans.ROUTINE_CODES, new String[] {"00"}));
            TestGears.Source src = new TestGears.Source();
            TestGears.Recorder a = new TestGears.Recorder(true);
            router.offerGear("src", src, "t");
            router.offerGear("a", a, "t");
            router.offerGear("r", rejecting("refused"), "t");
            long before = MessageSpans.now();
            src.context.emit(Gear.PORT_OUT, FluxMsg.builder().trace(UNSAMPLED).data("39", "00").build());

            assertEquals(UNSAMPLED, a.received.get(0).trace(), "the unsampled call passes the trace on as it came");
            List<SpanData> all = spans.getFinishedSpanItems();
            assertEquals(1, all.size(), "only the rejected call is a span: " + all);
            SpanData r = all.get(0);
            assertEquals("log r", r.getName());
            assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", r.getTraceId());
            assertEquals("00f067aa0ba902b7", r.getParentSpanId(), "the parent is the context the call ran in");
            assertFalse(r.getSpanContext().isSampled());
            assertEquals("rejected", r.getAttributes().get(GearTracing.OUTCOME));
            assertEquals("r", r.getAttributes().get(GearTracing.GEAR_INSTANCE));
            assertEquals("in", r.getAttributes().get(GearTracing.PORT));
            assertEquals("00", r.getAttributes().get(GearTracing.RESPONSE_CODE));
            assertEquals(StatusCode.ERROR, r.getStatus().getStatusCode());
            assertTrue(r.getStartEpochNanos() >= before && r.getStartEpochNanos() <= r.getEndEpochNanos(),
                    "starts when the call started: " + before + " <= " + r.getStartEpochNanos() + " <= " + r.getEndEpochNanos());
        }
    }

    @Test
    void anUnusualDeclineIsASpanFromItsStartSoTheCallsItDrivesAreItsChildren() {
        try (OpenTelemetrySdk keep = keepErrors(spans)) {
            router.applyPatch(patch(CHAIN));
            router.telemetry(keep, Map.of(MessageSpans.KEEP_ERRORS, true, MessageSpans.ROUTINE_CODES, new String[] {"00", "05"}));
            TestGears.Source src = new TestGears.Source();
            TestGears.Recorder b = new TestGears.Recorder(false);
            router.offerGear("src", src, "t");
            router.offerGear("a", new TestGears.Recorder(true), "t");
            router.offerGear("b", b, "t");
            src.context.emit(Gear.PORT_OUT, FluxMsg.builder().trace(UNSAMPLED).data("39", "14").build());

            Map<String, SpanData> by = byName();
            assertEquals(2, by.size(), by.toString());
            SpanData a = by.get("transform a");
            assertEquals("00f067aa0ba902b7", a.getParentSpanId());
            assertEquals(a.getSpanId(), by.get("log b").getParentSpanId(), "connected: b's span is a child of a's");
            assertEquals("14", a.getAttributes().get(GearTracing.RESPONSE_CODE));
            assertEquals("00-4bf92f3577b34da6a3ce929d0e0e4736-" + a.getSpanId() + "-00", b.received.get(0).trace());
        }
    }

    @Test
    void withoutKeepErrorsAnUnsampledRejectionMakesNoSpan() {
        try (OpenTelemetrySdk keep = keepErrors(spans)) {
            router.applyPatch(patch("gears: { src: timer, a: transform }\nlinks: [ src.out -> a.in ]\n"));
            router.telemetry(keep, Map.of(MessageSpans.KEEP_ERRORS, false));
            TestGears.Source src = new TestGears.Source();
            router.offerGear("src", src, "t");
            router.offerGear("a", rejecting("refused"), "t");
            src.context.emit(Gear.PORT_OUT, FluxMsg.builder().trace(UNSAMPLED).build());
            assertTrue(spans.getFinishedSpanItems().isEmpty(), spans.getFinishedSpanItems().toString());
        }
    }

    private static final Map<String, Object> AS_EVENTS = Map.of(MessageSpans.GEAR_CALLS, MessageSpans.GEAR_CALLS_EVENT);

    @Test
    void asEventsTheSourceSpanHoldsEachGearCallAsAnEventAndWhatTheyEmitCarriesIt() {
        Chain chain = chain(otel, AS_EVENTS, "io.example.gear 1.2.0");
        TestGears.Recorder b = chain.b();
        FluxMsg request = FluxMsg.builder().meta("iso.mti", "0200").data("39", "00").build();
        long before = MessageSpans.now();
        chain.src().context.emit(Gear.PORT_OUT, request);

        List<SpanData> all = spans.getFinishedSpanItems();
        assertEquals(1, all.size(), "one span, the source's: " + all);
        SpanData root = all.get(0);
        assertEquals("timer src", root.getName());
        assertEquals(SpanKind.SERVER, root.getKind());
        assertEquals(StatusCode.UNSET, root.getStatus().getStatusCode());
        Map<String, io.opentelemetry.sdk.trace.data.EventData> events = root.getEvents().stream()
                .collect(Collectors.toMap(io.opentelemetry.sdk.trace.data.EventData::getName, e -> e));
        assertEquals(java.util.Set.of("transform a", "log b"), events.keySet());
        io.opentelemetry.sdk.trace.data.EventData a = events.get("transform a");
        // Lean: the name says the gear, the span says the message and the rack.
        assertEquals(java.util.Set.of(GearTracing.PORT, GearTracing.OUTCOME, GearTracing.DURATION_NS), a.getAttributes().asMap().keySet());
        assertEquals("in", a.getAttributes().get(GearTracing.PORT));
        assertEquals("ok", a.getAttributes().get(GearTracing.OUTCOME));
        assertEquals(request.id().toString(), root.getAttributes().get(GearTracing.MESSAGE_ID));
        assertEquals("0200", root.getAttributes().get(GearTracing.MTI));
        assertEquals("io.example.gear", root.getAttributes().get(GearTracing.BUNDLE));
        io.opentelemetry.sdk.trace.data.EventData logB = events.get("log b");
        // a's call drives b's (a synchronous chain): b starts after a and ends within it
        assertTrue(a.getEpochNanos() >= before && logB.getEpochNanos() >= a.getEpochNanos(), a + " " + logB);
        assertTrue(a.getAttributes().get(GearTracing.DURATION_NS) >= logB.getAttributes().get(GearTracing.DURATION_NS), a + " " + logB);
        assertTrue(root.getEndEpochNanos() >= a.getEpochNanos() + a.getAttributes().get(GearTracing.DURATION_NS), a + " in " + root);
        assertEquals("00-" + root.getTraceId() + "-" + root.getSpanId() + "-" + root.getSpanContext().getTraceFlags().asHex(),
                b.received.get(0).trace(), "what a emitted carries the span it ran in");
    }

    @Test
    void asEventsAFailedCallIsAnEventWithItsMaskedReasonAndFailsTheSpanItRanIn() {
        router.applyPatch(patch("gears: { src: timer, a: transform }\nlinks: [ src.out -> a.in ]\n"));
        router.telemetry(otel, AS_EVENTS);
        TestGears.Source src = new TestGears.Source();
        router.offerGear("src", src, "t");
        router.offerGear("a", rejecting("card 4111111111111111 refused"), "t");
        src.context.emit(Gear.PORT_OUT, FluxMsg.builder().build());

        SpanData root = spans.getFinishedSpanItems().get(0);
        assertEquals(1, spans.getFinishedSpanItems().size(), spans.getFinishedSpanItems().toString());
        io.opentelemetry.sdk.trace.data.EventData a = root.getEvents().get(0);
        assertEquals("transform a", a.getName());
        assertEquals("rejected", a.getAttributes().get(GearTracing.OUTCOME));
        String reason = a.getAttributes().get(GearTracing.FAILURE);
        assertTrue(reason.contains("411111") && !reason.contains("4111111111111111"), reason);
        assertEquals(StatusCode.ERROR, root.getStatus().getStatusCode());
        assertFalse(root.getStatus().getDescription().contains("4111111111111111"), root.getStatus().getDescription());
    }

    @Test
    void asEventsACallWithNoSpanCurrentIsStillASpanAndTheCallsItDrivesAreItsEvents() {
        Chain chain = chain(otel, AS_EVENTS, "t");
        // A message that arrives with a trace (from a wire, a deferral): no span is current for its first call.
        chain.src().context.emit(Gear.PORT_OUT, FluxMsg.builder().trace("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").build());

        List<SpanData> all = spans.getFinishedSpanItems();
        assertEquals(1, all.size(), all.toString());
        SpanData a = all.get(0);
        assertEquals("transform a", a.getName());
        assertEquals("00f067aa0ba902b7", a.getParentSpanId());
        assertEquals(List.of("log b"), a.getEvents().stream().map(io.opentelemetry.sdk.trace.data.EventData::getName).toList());
    }

    private static final Map<String, Object> FAILURES_ONLY = Map.of(MessageSpans.GEAR_CALLS, MessageSpans.GEAR_CALLS_FAILURES,
            MessageSpans.ROUTINE_CODES, new String[] {"00", "05"});

    @Test
    void asFailuresOnlySuccessfulCallsLeaveNoSpanAndWhatTheyEmitCarriesTheSourceSpan() {
        Chain chain = chain(otel, FAILURES_ONLY, "t");
        chain.src().context.emit(Gear.PORT_OUT, FluxMsg.builder().meta("iso.mti", "0200").data("39", "00").build());

        List<SpanData> all = spans.getFinishedSpanItems();
        assertEquals(1, all.size(), "one span, the source's: " + all);
        SpanData root = all.get(0);
        assertEquals("timer src", root.getName());
        assertEquals("00-" + root.getTraceId() + "-" + root.getSpanId() + "-" + root.getSpanContext().getTraceFlags().asHex(),
                chain.b().received.get(0).trace(),
                "the message keeps the span it ran in, through both calls");
    }

    @Test
    void asFailuresOnlyARejectedCallIsASpanMadeWhenItEndsWithItsStartParentAndMaskedReason() {
        TestGears.Source src = new TestGears.Source();
        chain(otel, FAILURES_ONLY, "t", src, rejecting("card 4111111111111111 refused"));
        long before = MessageSpans.now();
        src.context.emit(Gear.PORT_OUT, FluxMsg.builder().data("39", "00").build());

        Map<String, SpanData> by = byName();
        assertEquals(java.util.Set.of("timer src", "log b"), by.keySet(), "the source's span and the rejected call's");
        SpanData root = by.get("timer src");
        SpanData r = by.get("log b");
        assertEquals(root.getSpanId(), r.getParentSpanId(), "the rejected call's parent is the span it ran in");
        assertEquals(root.getTraceId(), r.getTraceId());
        assertTrue(r.getSpanContext().isSampled());
        assertEquals("rejected", r.getAttributes().get(GearTracing.OUTCOME));
        assertEquals("b", r.getAttributes().get(GearTracing.GEAR_INSTANCE));
        assertEquals("00", r.getAttributes().get(GearTracing.RESPONSE_CODE));
        assertEquals(StatusCode.ERROR, r.getStatus().getStatusCode());
        assertFalse(r.getStatus().getDescription().contains("4111111111111111"), r.getStatus().getDescription());
        assertTrue(r.getStartEpochNanos() >= before && r.getStartEpochNanos() <= r.getEndEpochNanos(),
                "starts when the call started: " + before + " <= " + r.getStartEpochNanos() + " <= " + r.getEndEpochNanos());
    }

    @Test
    void asFailuresOnlyACallCarryingAnUnusualResponseCodeIsASpanAndTheCallsItDrivesAreItsChildren() {
        Chain chain = chain(otel, FAILURES_ONLY, "t");
        chain.src().context.emit(Gear.PORT_OUT, FluxMsg.builder().data("39", "14").build());

        Map<String, SpanData> by = byName();
        assertEquals(java.util.Set.of("timer src", "transform a", "log b"), by.keySet());
        SpanData a = by.get("transform a");
        assertEquals(by.get("timer src").getSpanId(), a.getParentSpanId());
        assertEquals(a.getSpanId(), by.get("log b").getParentSpanId(), "connected: b's span is a child of a's");
        assertEquals("14", a.getAttributes().get(GearTracing.RESPONSE_CODE));
    }
}
