package io.fluxrig.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shared span set-up, recorded by the real SDK into memory. */
class MessageSpansTest {
    private static final String PARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exported)).build()).build();
    private final MessageSpans spans = new MessageSpans(otel, "io.fluxrig.test");

    @AfterEach
    void close() {
        otel.close();
    }

    @Test
    void aChildContinuesTheMessagesTraceAndARootStartsOne() {
        Span child = spans.child("send w", SpanKind.PRODUCER, PARENT).startSpan();
        String out = MessageSpans.traceparent(child);
        child.end();
        Span fresh = spans.child("x", SpanKind.INTERNAL, null).startSpan();
        fresh.end();
        Span root;
        try (Scope ignored = child.makeCurrent()) {
            root = spans.root("src", SpanKind.SERVER).startSpan();
        }
        root.end();

        List<SpanData> s = exported.getFinishedSpanItems();
        assertEquals("0af7651916cd43dd8448eb211c80319c", s.get(0).getTraceId());
        assertEquals("b7ad6b7169203331", s.get(0).getParentSpanId());
        assertEquals(SpanKind.PRODUCER, s.get(0).getKind());
        assertEquals("00-0af7651916cd43dd8448eb211c80319c-" + s.get(0).getSpanId() + "-01", out);
        assertFalse(s.get(1).getParentSpanContext().isValid(), "no trace on the message: a new trace");
        assertFalse(s.get(2).getParentSpanContext().isValid(), "a root has no parent, even under a current span");
        assertEquals("io.fluxrig.test", s.get(0).getInstrumentationScopeInfo().getName());
    }

    @Test
    void childOfCurrentPrefersTheSpanCurrentOnThisThread() {
        Span call = spans.child("gear a", SpanKind.INTERNAL, PARENT).startSpan();
        Span http;
        try (Scope ignored = call.makeCurrent()) {
            http = spans.childOfCurrent("POST", SpanKind.CLIENT, "00-11111111111111111111111111111111-2222222222222222-01").startSpan();
        }
        http.end();
        call.end();
        Span noCurrent = spans.childOfCurrent("POST", SpanKind.CLIENT, PARENT).startSpan();
        noCurrent.end();

        List<SpanData> s = exported.getFinishedSpanItems();
        assertEquals(call.getSpanContext().getSpanId(), s.get(0).getParentSpanId(), "under the gear call's span");
        assertEquals("b7ad6b7169203331", s.get(2).getParentSpanId(), "no current span: under the message's trace");
    }

    @Test
    void aFailureReasonIsMaskedByTheCardDataRules() {
        Span span = spans.child("gear a", SpanKind.INTERNAL, null).startSpan();
        MessageSpans.fail(span, "'4111111111111111' is longer than 12");
        span.end();
        SpanData d = exported.getFinishedSpanItems().get(0);
        assertEquals(StatusCode.ERROR, d.getStatus().getStatusCode());
        assertFalse(d.getStatus().getDescription().contains("4111111111111111"), d.getStatus().getDescription());
        assertTrue(d.getStatus().getDescription().contains("411111******1111"), d.getStatus().getDescription());
    }

    @Test
    void theServicesPropertiesSayWhichUnsampledCallsMakeASpan() {
        String unsampled = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00";
        assertFalse(spans.unsampled(unsampled), "without the service's properties every call is a span");
        MessageSpans keep = new MessageSpans(otel, "io.fluxrig.test",
                Map.of(MessageSpans.KEEP_ERRORS, true, MessageSpans.ROUTINE_CODES, new String[] {"00", "05", "51"}));
        assertTrue(keep.unsampled(unsampled));
        assertFalse(keep.unsampled(PARENT), "sampled");
        assertFalse(keep.unsampled((String) null), "no trace: a new one, sampled by the ratio");
        assertFalse(keep.unsampled("not a traceparent"));
        assertTrue(keep.unsampled(TraceContexts.spanContext(unsampled)));
        assertFalse(keep.unsampled(TraceContexts.spanContext(PARENT)));
        assertTrue(keep.keepsErrors());
        assertTrue(keep.unusual("96"));
        assertFalse(keep.unusual("51"));
        assertFalse(keep.unusual(null));
        MessageSpans off = new MessageSpans(otel, "io.fluxrig.test", Map.of(MessageSpans.KEEP_ERRORS, false));
        assertTrue(off.unsampled(unsampled), "keep-errors off: an unsampled call is never a span");
        assertFalse(off.keepsErrors());
        assertFalse(off.unusual("96"));
    }

    @Test
    void aLateSpanHasTheCallsStartAndParent() {
        long start = MessageSpans.now();
        Span late = spans.late("gear a", SpanKind.INTERNAL, TraceContexts.parent(PARENT), start).startSpan();
        late.end();
        SpanData d = exported.getFinishedSpanItems().get(0);
        assertEquals(start, d.getStartEpochNanos());
        assertTrue(d.getEndEpochNanos() >= start);
        assertEquals("b7ad6b7169203331", d.getParentSpanId());
        assertTrue(TraceContexts.names("00-" + d.getTraceId() + "-" + d.getSpanId() + "-01", d.getSpanContext()));
        assertFalse(TraceContexts.names(PARENT, d.getSpanContext()));
        assertFalse(TraceContexts.names(null, d.getSpanContext()));
    }
}
