package io.fluxrig.telemetry;

import io.fluxrig.msg.SensitiveData;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;

/**
 * The span set-up every instrumented fluxrig bundle shares: one tracer per instrumentation scope,
 * spans whose parent is the trace a message carries (its W3C traceparent, see
 * {@link TraceContexts}), failures recorded with a masked reason, and the traceparent a message
 * leaves under. The gear, wire and HTTP spans differ only in names, kinds and attributes, which
 * their bundles add to the builder returned here.
 *
 * <p>Immutable and thread-safe; made when the rack's {@code OpenTelemetry} service is bound and
 * dropped with it (an instrumented bundle holds it in a volatile field, null while tracing is off).
 */
public final class MessageSpans {
    private final io.opentelemetry.api.trace.Tracer tracer;

    /**
     * @param otel the rack's OpenTelemetry service
     * @param scope the instrumentation scope, the bundle's package (e.g. {@code io.fluxrig.wire.jetstream})
     */
    public MessageSpans(OpenTelemetry otel, String scope) {
        this.tracer = otel.getTracer(scope);
    }

    /**
     * @param traceparent the trace the message carries, or null
     * @return a builder for a span that continues that trace (a new trace when there is none)
     */
    public SpanBuilder child(String name, SpanKind kind, String traceparent) {
        return tracer.spanBuilder(name).setSpanKind(kind).setParent(TraceContexts.parent(traceparent));
    }

    /**
     * @param traceparent the trace the message carries, or null
     * @return a builder for a span under the span current on this thread when there is one (the
     *     gear call that makes this span), else under the message's trace
     */
    public SpanBuilder childOfCurrent(String name, SpanKind kind, String traceparent) {
        Context parent = Span.current().getSpanContext().isValid() ? Context.current() : TraceContexts.parent(traceparent);
        return tracer.spanBuilder(name).setSpanKind(kind).setParent(parent);
    }

    /** @return a builder for a span that starts a trace (a source's message that carries none) */
    public SpanBuilder root(String name, SpanKind kind) {
        return tracer.spanBuilder(name).setSpanKind(kind).setNoParent();
    }

    /**
     * Marks {@code span} failed: status ERROR with {@code reason} masked by the card-data rule set
     * ({@link SensitiveData#maskText}), so a reason quoting a value never exports a card number.
     */
    public static void fail(Span span, String reason) {
        span.setStatus(StatusCode.ERROR, SensitiveData.maskText(String.valueOf(reason)));
    }

    /** @return the traceparent a message sent under {@code span} carries, or null when it is not valid */
    public static String traceparent(Span span) {
        return TraceContexts.traceparent(span.getSpanContext());
    }
}
