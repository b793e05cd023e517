package io.fluxrig.rack.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.telemetry.TraceContexts;
import io.fluxrig.testsupport.Await;
import io.fluxrig.testsupport.OtlpReceiver;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SDK as the component builds it, against a real OTLP/HTTP receiver in the test. */
class TelemetryExportTest {

    @Test
    void spansReachTheCollectorWithTheRackAsResourceAndTheirParent() throws Exception {
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            // A generous timeout: on a loaded machine an answer after 2 s would count the span as dropped.
            TelemetryPipeline pipeline = new TelemetryPipeline(TelemetrySettings.from(Map.of("enabled", true,
                    "endpoint", receiver.endpoint(), "export.timeout.ms", 20_000), Map.of()), "edge");
            SdkCounters counters = pipeline.counters;
            OpenTelemetrySdk sdk = pipeline.sdk;
            try {
                Tracer tracer = sdk.getTracer("test");
                String parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
                Span span = tracer.spanBuilder("gear decode").setParent(TraceContexts.parent(parent)).startSpan();
                String child = TraceContexts.traceparent(span.getSpanContext());
                span.end();
                Await.until("the span at the receiver", () -> receiver.spans().size() == 1);
                OtlpReceiver.ReceivedSpan got = receiver.spans().get(0);
                assertEquals("0af7651916cd43dd8448eb211c80319c", got.traceId());
                assertEquals("b7ad6b7169203331", got.parentSpanId());
                assertEquals("edge", got.resource().get("fluxrig.rack"));
                assertEquals(child, "00-" + got.traceId() + "-" + got.spanId() + "-01");
                Await.until("the export counted", () -> counters.totals().exported() == 1);
                assertEquals(0, counters.totals().dropped());
            } finally {
                pipeline.close();
            }
        }
    }

    /**
     * {@code export.batch.size} bounds each request and a full batch goes out at once: with an export
     * delay of an hour, the spans of two full batches still reach the collector, three per request.
     */
    @Test
    void aFullBatchIsExportedAtOnceAndNoRequestCarriesMoreThanTheBatchSize() throws Exception {
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            TelemetryPipeline pipeline = new TelemetryPipeline(TelemetrySettings.from(Map.of("enabled", true,
                    "endpoint", receiver.endpoint(), "export.batch.size", 3, "export.delay.ms", 3_600_000,
                    "export.timeout.ms", 20_000, "metrics.enabled", false), Map.of()), "edge");
            try {
                Tracer tracer = pipeline.sdk.getTracer("test");
                for (int i = 0; i < 6; i++) {
                    tracer.spanBuilder("s" + i).startSpan().end();
                }
                Await.until("two full batches at the receiver", () -> receiver.spans().size() == 6);
                assertEquals(2, receiver.traceRequests().size());
                for (var request : receiver.traceRequests()) {
                    assertEquals(3, request.getResourceSpans(0).getScopeSpans(0).getSpansCount());
                }
            } finally {
                pipeline.close();
            }
        }
    }

    /**
     * A collector that refuses (503) and one that is not there at all: spans end without waiting,
     * and every lost one is counted as dropped.
     */
    @Test
    void aRefusingOrAbsentCollectorCostsDroppedSpansOnly() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            receiver.refuse(true);
            for (String endpoint : new String[] {receiver.endpoint(), "http://127.0.0.1:" + closedPort}) {
                TelemetryPipeline pipeline = new TelemetryPipeline(settings(endpoint, 16), "edge");
                SdkCounters counters = pipeline.counters;
                OpenTelemetrySdk sdk = pipeline.sdk;
                try {
                    Tracer tracer = sdk.getTracer("test");
                    for (int i = 0; i < 200; i++) {
                        tracer.spanBuilder("s" + i).startSpan().end();
                    }
                    Await.until("dropped spans counted for " + endpoint, () -> counters.totals().dropped() >= 16);
                    assertEquals(0, counters.totals().exported());
                } finally {
                    pipeline.close();
                }
            }
            assertTrue(receiver.refusedRequests() > 0);
            assertTrue(receiver.spans().isEmpty());
        }
    }

    @Test
    void traceparentsRoundTripAndInvalidOnesStartANewTrace() {
        String tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        SpanContext sc = TraceContexts.spanContext(tp);
        assertTrue(sc.isValid() && sc.isRemote() && sc.isSampled());
        assertEquals(tp, TraceContexts.traceparent(sc));
        assertEquals(SpanContext.getInvalid(), TraceContexts.spanContext("01-x"));
        assertEquals(SpanContext.getInvalid(), TraceContexts.spanContext(null));
        assertNull(TraceContexts.traceparent(SpanContext.getInvalid()));
    }

    private static TelemetrySettings settings(String endpoint, int queue) {
        return TelemetrySettings.from(Map.of("enabled", true, "endpoint", endpoint, "queue.size", queue,
                "export.timeout.ms", 2000), Map.of());
    }
}
