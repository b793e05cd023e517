package io.fluxrig.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;

/**
 * The one conversion between the W3C traceparent text a fluxMsg carries in its {@code trace}
 * field (and a wire message in its {@code traceparent} NATS header) and OpenTelemetry's span
 * context. Version {@code 00} only, the form fluxMsg accepts; the trace state is not carried.
 * Stateless, no allocation beyond the result.
 */
public final class TraceContexts {
    private static final int LENGTH = 55;

    private TraceContexts() {
    }

    /**
     * @param traceparent {@code 00-<32 hex>-<16 hex>-<2 hex>}, or null
     * @return the remote span context it names, or {@link SpanContext#getInvalid()} when it is null
     *     or not a valid traceparent
     */
    public static SpanContext spanContext(String traceparent) {
        if (traceparent == null || traceparent.length() != LENGTH || !traceparent.startsWith("00-")) {
            return SpanContext.getInvalid();
        }
        String traceId = traceparent.substring(3, 35);
        String spanId = traceparent.substring(36, 52);
        byte flags = TraceFlags.fromHex(traceparent, 53).asByte();
        return SpanContext.createFromRemoteParent(traceId, spanId, TraceFlags.fromByte(flags), TraceState.getDefault());
    }

    /**
     * @param traceparent a traceparent or null
     * @return a context whose span is the remote parent named by it, or the root context (a new
     *     trace starts there)
     */
    public static Context parent(String traceparent) {
        SpanContext sc = spanContext(traceparent);
        return sc.isValid() ? Context.root().with(Span.wrap(sc)) : Context.root();
    }

    /**
     * @param traceparent a traceparent or null
     * @param sc a span context
     * @return whether {@code traceparent} names {@code sc} (trace id, span id and flags compared in
     *     place: nothing parsed, nothing allocated)
     * @since 1.4
     */
    public static boolean names(String traceparent, SpanContext sc) {
        return traceparent != null && traceparent.length() == LENGTH && sc.isValid()
                && traceparent.regionMatches(36, sc.getSpanId(), 0, 16) && traceparent.regionMatches(3, sc.getTraceId(), 0, 32)
                && traceparent.regionMatches(53, sc.getTraceFlags().asHex(), 0, 2);
    }

    /**
     * @param sc a span context
     * @return its traceparent text, or null when it is not valid
     */
    public static String traceparent(SpanContext sc) {
        if (sc == null || !sc.isValid()) {
            return null;
        }
        return "00-" + sc.getTraceId() + "-" + sc.getSpanId() + "-" + sc.getTraceFlags().asHex();
    }
}
