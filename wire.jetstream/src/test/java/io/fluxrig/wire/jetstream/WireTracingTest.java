package io.fluxrig.wire.jetstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.msg.FluxMsg;
import io.fluxrig.testsupport.Await;
import io.fluxrig.testsupport.NatsServer;
import io.fluxrig.wire.WireDelivery;
import io.fluxrig.wire.WireSubscription;
import io.fluxrig.telemetry.MessageSpans;
import io.nats.client.Connection;
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
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** send/process spans against a real nats-server, recorded by the real SDK into memory. */
class WireTracingTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private NatsServer server;
    private JetStreamWireTransport transport;
    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .build();

    @BeforeEach
    void start() throws Exception {
        server = NatsServer.started();
        transport = Wires.connected(Wires.settings(server));
        transport.telemetry(otel);
    }

    @AfterEach
    void stop() throws Exception {
        transport.deactivate();
        server.close();
        otel.close();
    }

    @Test
    void theProcessSpanIsAChildOfTheSendSpanWithALinkAndTheMessageCarriesIt() throws Exception {
        FluxMsg m = FluxMsg.builder().trace("00-" + TRACE + "-00f067aa0ba902b7-01").data("x", 1).build();
        transport.publish("traced", m).toCompletableFuture().get(5, TimeUnit.SECONDS);
        List<WireDelivery> got = new CopyOnWriteArrayList<>();
        try (WireSubscription s = transport.subscribe("traced", "edge-in-traced", d -> {
            got.add(d);
            d.ack();
        })) {
            Await.until("delivered", () -> got.size() == 1);
            Await.until("send and process spans ended", () -> spans.getFinishedSpanItems().size() == 2);
        }
        SpanData send = span("send traced");
        SpanData process = span("process traced");
        assertEquals(SpanKind.PRODUCER, send.getKind());
        assertEquals(TRACE, send.getTraceId());
        assertEquals("00f067aa0ba902b7", send.getParentSpanId());
        assertEquals(SpanKind.CONSUMER, process.getKind());
        assertEquals(TRACE, process.getTraceId());
        assertEquals(send.getSpanId(), process.getParentSpanId(), "process is a child of send");
        assertEquals(1, process.getLinks().size());
        assertEquals(send.getSpanId(), process.getLinks().get(0).getSpanContext().getSpanId(), "and links to it");
        for (SpanData sd : List.of(send, process)) {
            assertEquals("nats", sd.getAttributes().get(WireTracing.SYSTEM));
            assertEquals("traced", sd.getAttributes().get(WireTracing.DESTINATION));
            assertEquals(m.id() + "/0", sd.getAttributes().get(WireTracing.MESSAGE_ID));
            assertTrue(sd.getAttributes().get(WireTracing.BODY_SIZE) > 0);
        }
        assertEquals("edge-in-traced", process.getAttributes().get(WireTracing.CONSUMER_GROUP));
        assertEquals("process", process.getAttributes().get(WireTracing.OPERATION_TYPE));
        assertEquals("00-" + TRACE + "-" + process.getSpanId() + "-01", got.get(0).msg().trace(),
                "the handler gets the message under the process span");
        // The stored message carries the send span, in the NATS header and in the fluxMsg itself.
        try (Connection raw = server.connect()) {
            var stored = raw.jetStreamManagement().getMessage("WIRE_traced", 1);
            String expected = "00-" + TRACE + "-" + send.getSpanId() + "-01";
            assertEquals(expected, stored.getHeaders().getFirst(WireHeaders.TRACEPARENT));
            assertEquals(expected, io.fluxrig.msg.cbor.FluxMsgCbor.standard().decode(stored.getData()).trace());
        }
    }

    /**
     * A rack that keeps errors at a low ratio: an unsampled message is published and delivered
     * under its own trace with no span, and only the delivery whose handler threw is made a span.
     */
    @Test
    void anUnsampledMessageMakesNoSpanUnlessItsDeliveryFails() throws Exception {
        InMemorySpanExporter kept = InMemorySpanExporter.create();
        Sampler recordOnly = new Sampler() {
            @Override
            public SamplingResult shouldSample(Context parent, String traceId, String name, SpanKind kind, Attributes attributes,
                    List<LinkData> links) {
                return SamplingResult.recordOnly();
            }

            @Override
            public String getDescription() {
                return "recordOnly";
            }
        };
        try (OpenTelemetrySdk keep = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder().setSampler(recordOnly)
                .addSpanProcessor(SimpleSpanProcessor.builder(kept).setExportUnsampledSpans(true).build()).build()).build()) {
            transport.telemetry(keep, Map.of(MessageSpans.KEEP_ERRORS, true));
            String unsampled = "00-" + TRACE + "-00f067aa0ba902b7-00";
            FluxMsg m = FluxMsg.builder().trace(unsampled).data("x", 1).build();
            transport.publish("quiet", m).toCompletableFuture().get(5, TimeUnit.SECONDS);
            List<WireDelivery> got = new CopyOnWriteArrayList<>();
            try (WireSubscription s = transport.subscribe("quiet", "edge-in-quiet", d -> {
                got.add(d);
                throw new IllegalStateException("handler failed");
            })) {
                Await.until("a failed delivery's span", () -> !kept.getFinishedSpanItems().isEmpty());
            }
            assertEquals(unsampled, got.get(0).msg().trace(), "delivered under the trace it carries");
            SpanData process = kept.getFinishedSpanItems().get(0);
            assertEquals("process quiet", process.getName());
            assertEquals(SpanKind.CONSUMER, process.getKind());
            assertEquals("00f067aa0ba902b7", process.getParentSpanId());
            assertEquals("00f067aa0ba902b7", process.getLinks().get(0).getSpanContext().getSpanId());
            assertEquals(StatusCode.ERROR, process.getStatus().getStatusCode());
            assertEquals("edge-in-quiet", process.getAttributes().get(WireTracing.CONSUMER_GROUP));
            assertTrue(process.getStartEpochNanos() <= process.getEndEpochNanos());
            assertTrue(kept.getFinishedSpanItems().stream().noneMatch(x -> x.getName().equals("send quiet")),
                    "the publish succeeded: no send span " + kept.getFinishedSpanItems());
            try (Connection raw = server.connect()) {
                var stored = raw.jetStreamManagement().getMessage("WIRE_quiet", 1);
                assertEquals(unsampled, stored.getHeaders().getFirst(WireHeaders.TRACEPARENT));
            }
        }
    }

    private SpanData span(String name) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in " + spans.getFinishedSpanItems()));
    }
}
