package io.fluxrig.telemetry;

import io.fluxrig.msg.SensitiveData;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The span set-up every instrumented fluxrig bundle shares: one tracer per instrumentation scope,
 * spans whose parent is the trace a message carries (its W3C traceparent, see
 * {@link TraceContexts}), failures recorded with a masked reason, and the traceparent a message
 * leaves under. The gear, wire and HTTP spans differ only in names, kinds and attributes, which
 * their bundles add to the builder returned here.
 *
 * <p><b>Unsampled calls.</b> Made with the service properties of the rack's {@code OpenTelemetry}
 * service ({@link #KEEP_ERRORS}, {@link #ROUTINE_CODES}), it tells its bundle to make no span for
 * a call whose parent trace is not sampled ({@link #unsampled}): the bundle takes the start time
 * ({@link #now}) before the call and, only when the call failed or declined unusually and the rack
 * keeps errors ({@link #keepsErrors}, {@link #unusual}), makes the span after the call
 * ({@link #late}: same name, parent and attributes, that start time). A successful unsampled call
 * costs no span at all. Made without those properties, every call is a span and the SDK's sampler
 * decides (as any OpenTelemetry user would have it).
 *
 * <p>Immutable and thread-safe; made when the rack's {@code OpenTelemetry} service is bound and
 * dropped with it (an instrumented bundle holds it in a volatile field, null while tracing is off).
 */
public final class MessageSpans {
    /**
     * Service property of the rack's {@code OpenTelemetry} service ({@code Boolean}): whether
     * unsampled spans that failed or declined unusually are exported. Present on every rack's
     * registration; its presence says unsampled calls may be judged after they end.
     *
     * @since 1.4
     */
    public static final String KEEP_ERRORS = "fluxrig.sampler.keep.errors";
    /**
     * Service property of the rack's {@code OpenTelemetry} service ({@code String[]}): the ISO 8583
     * response codes a span is not kept for by itself (e.g. {@code 00}, {@code 05}, {@code 51}).
     *
     * @since 1.4
     */
    public static final String ROUTINE_CODES = "fluxrig.sampler.routine.codes";
    /**
     * Service property of the rack's {@code OpenTelemetry} service ({@code String}): how the rack
     * records a gear call, {@value #GEAR_CALLS_SPAN} (a span of its own, the default when absent),
     * {@value #GEAR_CALLS_EVENT} (an event on the span current when it runs, a span only when
     * none is current) or {@value #GEAR_CALLS_FAILURES} (a span only when it fails or declines
     * unusually).
     *
     * @since 1.5
     */
    public static final String GEAR_CALLS = "fluxrig.trace.gear.calls";
    /**
     * {@link #GEAR_CALLS}: every gear call is a span.
     *
     * @since 1.5
     */
    public static final String GEAR_CALLS_SPAN = "span";
    /**
     * {@link #GEAR_CALLS}: a gear call that runs inside a span (the source's, a wire delivery's, the
     * previous gear's) is an event on that span.
     *
     * @since 1.5
     */
    public static final String GEAR_CALLS_EVENT = "event";
    /**
     * {@link #GEAR_CALLS}: a gear call is a span only when it fails or is rejected (made when it
     * ends, with its start time, see {@link #late}) or when its message carries a response code that
     * is not routine ({@link #notRoutine}); any other call runs inside the span its message carries
     * (the source's, a wire delivery's, the HTTP call's) and leaves no span.
     *
     * @since 1.6
     */
    public static final String GEAR_CALLS_FAILURES = "failures";

    private static final int TRACEPARENT_LENGTH = 55;

    private final io.opentelemetry.api.trace.Tracer tracer;
    /** Whether an unsampled call makes no span up front (the service said how it samples). */
    private final boolean judgesAfter;
    private final boolean keepErrors;
    private final Set<String> routine;

    /**
     * Every call is a span; the SDK's sampler decides what is recorded.
     *
     * @param otel the rack's OpenTelemetry service
     * @param scope the instrumentation scope, the bundle's package (e.g. {@code io.fluxrig.wire.jetstream})
     */
    public MessageSpans(OpenTelemetry otel, String scope) {
        this(otel, scope, Map.of());
    }

    /**
     * @param otel the rack's OpenTelemetry service
     * @param scope the instrumentation scope
     * @param properties the service's properties: with {@link #KEEP_ERRORS} among them, unsampled
     *     calls are judged after they end (see the class description)
     * @since 1.4
     */
    public MessageSpans(OpenTelemetry otel, String scope, Map<String, ?> properties) {
        this.tracer = otel.getTracer(scope);
        Object keep = properties.get(KEEP_ERRORS);
        this.judgesAfter = keep != null;
        this.keepErrors = keep != null && Boolean.parseBoolean(keep.toString());
        Object codes = properties.get(ROUTINE_CODES);
        this.routine = codes instanceof String[] a ? Set.of(a) : codes instanceof Collection<?> c
                ? Set.copyOf(c.stream().map(String::valueOf).toList()) : Set.of();
    }

    /**
     * @param traceparent the trace a call's message carries, or null
     * @return true when the call should make no span up front: its parent is a valid trace that is
     *     not sampled and this rack judges such calls after they end
     * @since 1.4
     */
    public boolean unsampled(String traceparent) {
        return judgesAfter && traceparent != null && traceparent.length() == TRACEPARENT_LENGTH
                && (Character.digit(traceparent.charAt(TRACEPARENT_LENGTH - 1), 16) & 1) == 0;
    }

    /**
     * @param parent the span context a call runs under
     * @return as {@link #unsampled(String)}, for a parent already in hand (the span current on the thread)
     * @since 1.4
     */
    public boolean unsampled(SpanContext parent) {
        return judgesAfter && parent.isValid() && !parent.isSampled();
    }

    /**
     * @return whether an unsampled call that failed should still be a span (made with {@link #late})
     * @since 1.4
     */
    public boolean keepsErrors() {
        return keepErrors;
    }

    /**
     * @param responseCode an ISO 8583 response code, or null
     * @return whether an unsampled span carrying it is kept: the rack keeps errors and the code is
     *     not a routine one
     * @since 1.4
     */
    public boolean unusual(String responseCode) {
        return keepErrors && notRoutine(responseCode);
    }

    /**
     * @param responseCode an ISO 8583 response code, or null
     * @return whether it is present and not one of the routine codes ({@link #ROUTINE_CODES}),
     *     whether or not the rack keeps errors
     * @since 1.6
     */
    public boolean notRoutine(String responseCode) {
        return responseCode != null && !routine.contains(responseCode);
    }

    /**
     * @return now as nanoseconds since the epoch: the start time of a span {@link #late} may make
     * @since 1.4
     */
    public static long now() {
        java.time.Instant t = java.time.Instant.now();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /**
     * @param parent the context the call ran in (its parent span)
     * @param startEpochNanos when the call started ({@link #now})
     * @return a builder for the span of a call that already ran, judged worth keeping after it ended
     * @since 1.4
     */
    public SpanBuilder late(String name, SpanKind kind, Context parent, long startEpochNanos) {
        return tracer.spanBuilder(name).setSpanKind(kind).setParent(parent).setStartTimestamp(startEpochNanos, TimeUnit.NANOSECONDS);
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
