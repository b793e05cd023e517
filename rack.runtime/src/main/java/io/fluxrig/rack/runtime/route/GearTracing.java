package io.fluxrig.rack.runtime.route;

import io.fluxrig.gear.BackPressureException;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.Hop;
import io.fluxrig.msg.SensitiveData;
import io.fluxrig.rack.runtime.deploy.GearOrigins;
import io.fluxrig.snake.api.rollout.RolloutTraces;
import io.fluxrig.telemetry.MessageSpans;
import io.fluxrig.telemetry.TraceContexts;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The rack's spans, present only while an {@link OpenTelemetry} service is bound (the
 * {@link Dispatcher} holds null otherwise and pays one volatile read per call).
 *
 * <ul>
 *   <li>Every gear call is a span {@code <type> <instance>} (INTERNAL), child of the context in
 *       the message's {@code trace} field, current while {@code onMessage} runs, with the
 *       gear type, instance, port, message id, outcome ({@code ok}, {@code rejected},
 *       {@code failed}, {@code backpressure}) and, when the message has them, the ISO 8583 MTI and
 *       response code; and the gear's code: its bundle and version and, when a rollout installed
 *       that bundle version or applied the running patch (the newer of the two), the rollout's id
 *       ({@code fluxrig.rollout.id}) and the signed release's sequence ({@code fluxrig.release.sequence}),
 *       made once per binding and deployment ({@link #describeGear}), not per message. The rack is
 *       not repeated on each span: it is the spans' resource ({@code fluxrig.rack},
 *       {@code service.instance.id}), which every exported span carries.
 *   <li>A message emitted while a span is current carries that span in its {@code trace} field, so
 *       the next gear's span (on any thread, and across wires) is its child.
 *   <li>A message emitted by a source with no span current and no trace (a terminal's request
 *       read from TCP, a timer tick) starts a trace: a SERVER span {@code <type> <instance>} around
 *       the synchronous chain its emit drives.
 * </ul>
 * A gear call whose message's trace is not sampled makes no span when the rack's OpenTelemetry
 * service says how it samples ({@link MessageSpans#unsampled}): the call runs with the message's
 * trace current (so what it emits stays in that trace), and only when it was rejected or failed
 * and the rack keeps errors is its span made afterwards, with the call's start time, parent and
 * attributes ({@link MessageSpans#late}). A call whose message carries an unusual response code
 * (kept by keep-errors sampling) is a span from its start, so the calls it drives are its children.
 * Failure reasons in span status are masked by the card-data rule set ({@link MessageSpans#fail}).
 *
 * <p><b>Gear calls as events</b> (the service property {@link MessageSpans#GEAR_CALLS} =
 * {@value MessageSpans#GEAR_CALLS_EVENT}): a sampled gear call whose message carries the span
 * current on the thread (the source's SERVER span, a wire delivery's process span, the previous
 * call's span, the HTTP call's) is not a span but an event {@code <type> <instance>} on that span,
 * at the call's start, with only its port, outcome, duration ({@code fluxrig.gear.duration_ns})
 * and, when it failed, its masked reason ({@code fluxrig.failure}); a failed call also marks that
 * span failed. What it emits carries that span, so nothing is re-stamped. Calls with no such span
 * current stay spans. A demo authorisation is then 6 spans and 9 events instead of 15 spans.
 *
 * <p><b>Gear calls as failures only</b> ({@link MessageSpans#GEAR_CALLS} =
 * {@value MessageSpans#GEAR_CALLS_FAILURES}): a sampled gear call runs under its message's trace as
 * an unsampled one does, and is made a span afterwards, with its start time, parent and attributes,
 * only when it was rejected or failed; a call whose message carries a response code that is not
 * routine is a span from its start, and a call whose message carries no trace stays a span (it
 * starts one). A demo authorisation that succeeds is then 6 spans (the source's, both wires' send
 * and process, the HTTP call's).
 *
 * <p>Holds the tracer and caches of span names and gear attributes; thread-safe.
 */
final class GearTracing {
    static final String SCOPE = "io.fluxrig.rack.runtime";
    static final AttributeKey<String> GEAR_TYPE = AttributeKey.stringKey("fluxrig.gear.type");
    static final AttributeKey<String> GEAR_INSTANCE = AttributeKey.stringKey("fluxrig.gear.instance");
    static final AttributeKey<String> PORT = AttributeKey.stringKey("fluxrig.gear.port");
    static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("fluxrig.message.id");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("fluxrig.outcome");
    static final AttributeKey<String> MTI = AttributeKey.stringKey("iso8583.mti");
    static final AttributeKey<String> RESPONSE_CODE = AttributeKey.stringKey("iso8583.response_code");
    /** A gear call event's duration: events have one timestamp, the call's start. */
    static final AttributeKey<Long> DURATION_NS = AttributeKey.longKey("fluxrig.gear.duration_ns");
    /** A failed gear call event's reason, masked (a span's would be its status description). */
    static final AttributeKey<String> FAILURE = AttributeKey.stringKey("fluxrig.failure");

    private static final int TRACEPARENT_LENGTH = 55;

    static final AttributeKey<String> BUNDLE = AttributeKey.stringKey(RolloutTraces.BUNDLE_ATTRIBUTE);
    static final AttributeKey<String> BUNDLE_VERSION = AttributeKey.stringKey(RolloutTraces.VERSION_ATTRIBUTE);
    static final AttributeKey<String> ROLLOUT = AttributeKey.stringKey(RolloutTraces.ATTRIBUTE);
    static final AttributeKey<Long> RELEASE_SEQUENCE = AttributeKey.longKey(RolloutTraces.SEQUENCE_ATTRIBUTE);

    private final MessageSpans spans;
    /** Whether a sampled call inside the current span is an event on it rather than a span of its own. */
    private final boolean callsAsEvents;
    /** Whether a sampled call is a span only when it fails or its message declines unusually. */
    private final boolean failedCallsOnly;
    private final String rack;
    /** Where deployed bundles and patches came from; null: spans name no bundle origin. */
    private final GearOrigins origins;
    /** Span names by instance: {type, "<type> <instance>"}; written by any calling thread. */
    private final ConcurrentHashMap<String, String[]> names = new ConcurrentHashMap<>();
    /** What a bound gear's spans say of it, by instance; re-made when the binding, its type or the origins change. */
    private final ConcurrentHashMap<String, Described> described = new ConcurrentHashMap<>();

    /**
     * A gear binding's span attributes: the gear's type and instance, its bundle and
     * version, and the rollout and release that brought it (or the running patch), made once per
     * binding, type and origins generation.
     */
    private record Described(Binding binding, String type, long generation, Attributes attributes) {
    }

    GearTracing(OpenTelemetry otel, String rack) {
        this(otel, rack, null, Map.of());
    }

    /**
     * @param properties the OpenTelemetry service's properties: how the rack samples
     *     ({@link MessageSpans#KEEP_ERRORS}; without it every call is a span) and records gear
     *     calls ({@link MessageSpans#GEAR_CALLS}; without it each is a span)
     */
    GearTracing(OpenTelemetry otel, String rack, GearOrigins origins, Map<String, ?> properties) {
        this.spans = new MessageSpans(otel, SCOPE, properties);
        String calls = String.valueOf(properties.get(MessageSpans.GEAR_CALLS));
        this.callsAsEvents = MessageSpans.GEAR_CALLS_EVENT.equals(calls);
        this.failedCallsOnly = MessageSpans.GEAR_CALLS_FAILURES.equals(calls);
        this.rack = rack;
        this.origins = origins;
    }

    /**
     * @return the gear's type and instance and, when the binding names one, the bound
     *     gear's bundle, version, rollout and release sequence, as span attributes; a map lookup,
     *     two identity compares and a volatile read per call, re-made only when the gear is
     *     re-bound, its type changes or a deployment recorded an origin
     */
    Attributes describeGear(String instance, String type, Binding b) {
        long generation = origins == null ? 0 : origins.generation();
        Described g = described.get(instance);
        if (g == null || g.binding() != b || g.generation() != generation || !g.type().equals(type)) {
            Attributes bundle = b == null ? Attributes.empty() : describe(b.bundle, origins == null ? null : origins.of(b.bundle));
            g = new Described(b, type, generation, bundle.toBuilder().put(GEAR_TYPE, type)
                    .put(GEAR_INSTANCE, instance).build());
            described.put(instance, g);
        }
        return g.attributes();
    }

    /** @return the attributes of a bundle {@code "<symbolic name> <version>"} with its origin (null: none) */
    static Attributes describe(String bundle, GearOrigins.Origin origin) {
        int space = bundle == null ? -1 : bundle.indexOf(' ');
        if (space <= 0) {
            return Attributes.empty();
        }
        AttributesBuilder a = Attributes.builder().put(BUNDLE, bundle.substring(0, space))
                .put(BUNDLE_VERSION, bundle.substring(space + 1));
        if (origin != null && origin.rollout() != null) {
            a.put(ROLLOUT, origin.rollout());
        }
        if (origin != null && origin.sequence() > 0) {
            a.put(RELEASE_SEQUENCE, origin.sequence());
        }
        return a.build();
    }

    /**
     * Calls the gear inside its span; see {@link Dispatcher#call} for what the call does.
     *
     * <p>Cost, as profiled under {@code TracingBenchmark}: a call whose trace is not sampled makes
     * no span unless it must be kept ({@link #invokeWithoutSpan}). When the message's trace is the
     * span current on this thread (a synchronous chain: the previous gear emitted it inside its
     * span), that span's context is the parent as it is, instead of parsing the traceparent text
     * into a new remote context. The attributes go on the builder when the parent is sampled (the
     * span will be recorded); otherwise the span is started first and described only if it records,
     * so a span the sampler drops never fills an attribute map.
     */
    void invoke(Dispatcher d, Inlet inlet, Binding b, String port, FluxMsg msg) {
        String trace = msg.trace();
        if (spans.unsampled(trace) && !(spans.keepsErrors() && spans.unusual(responseCode(msg)))) {
            invokeWithoutSpan(d, inlet, b, port, msg, trace, spans.keepsErrors());
            return;
        }
        if (failedCallsOnly && trace != null && !spans.notRoutine(responseCode(msg))) {
            invokeWithoutSpan(d, inlet, b, port, msg, trace, true);
            return;
        }
        boolean inCurrent = continuesCurrent(trace);
        if (callsAsEvents && inCurrent && Span.current().isRecording() && Span.current().getSpanContext().isSampled()) {
            invokeAsEvent(d, inlet, b, port, msg);
            return;
        }
        String type = d.typeOf(inlet.name);
        String name = spanName(type, inlet.name);
        SpanBuilder builder = inCurrent ? spans.childOfCurrent(name, SpanKind.INTERNAL, trace)
                : spans.child(name, SpanKind.INTERNAL, trace);
        Span span;
        if (trace == null || sampled(trace)) {
            span = builder.setAllAttributes(describeGear(inlet.name, type, b)).setAttribute(PORT, port)
                    .setAttribute(MESSAGE_ID, String.valueOf(msg.id())).startSpan();
        } else {
            span = builder.startSpan();
            if (span.isRecording()) {
                span.setAllAttributes(describeGear(inlet.name, type, b)).setAttribute(PORT, port)
                        .setAttribute(MESSAGE_ID, String.valueOf(msg.id()));
            }
        }
        describe(span, msg);
        String outcome = "backpressure";
        try (Scope ignored = span.makeCurrent()) {
            String failure = d.call(inlet, b, port, msg);
            outcome = outcome(failure);
            if (failure != null) {
                MessageSpans.fail(span, failure);
            }
        } finally {
            span.setAttribute(OUTCOME, outcome);
            span.end();
        }
    }

    /**
     * Calls the gear inside the current span, which its message carries, and records the call as an
     * event on that span when it returns (or throws back-pressure), stamped with its start.
     */
    private void invokeAsEvent(Dispatcher d, Inlet inlet, Binding b, String port, FluxMsg msg) {
        Span current = Span.current();
        long start = MessageSpans.now();
        long began = System.nanoTime();
        String failure = null;
        String outcome = "backpressure";
        try {
            failure = d.call(inlet, b, port, msg);
            outcome = outcome(failure);
        } finally {
            // Lean on purpose: the event's name says the gear's type and instance, and the span it is on
            // says the message, the rack and the wire; a gear's bundle and rollout are the gear spans' and
            // the console's to show. What an event costs is mostly its attributes (bench/README.md).
            AttributesBuilder a = Attributes.builder().put(PORT, port).put(OUTCOME, outcome)
                    .put(DURATION_NS, System.nanoTime() - began);
            if (failure != null) {
                a.put(FAILURE, SensitiveData.maskText(failure));
            }
            String type = d.typeOf(inlet.name);
            current.addEvent(spanName(type, inlet.name), a.build(), start, TimeUnit.NANOSECONDS);
            if (failure != null) {
                MessageSpans.fail(current, failure);
            }
        }
    }

    /**
     * Calls the gear with no span (its trace is not sampled, or the rack records failed calls
     * only): the message's trace is current during the call (as it is, when
     * it names the span already current), and the span is made only after a rejection or failure,
     * when {@code keepFailed} (the rack keeps errors, or records only failed calls), with the call's
     * start time and the same parent and attributes.
     */
    private void invokeWithoutSpan(Dispatcher d, Inlet inlet, Binding b, String port, FluxMsg msg, String trace, boolean keepFailed) {
        long start = keepFailed ? MessageSpans.now() : 0;
        boolean inPlace = continuesCurrent(trace);
        String failure;
        try (Scope ignored = inPlace ? Scope.noop() : Span.wrap(TraceContexts.spanContext(trace)).makeCurrent()) {
            failure = d.call(inlet, b, port, msg);
        }
        if (failure == null || !keepFailed) {
            return;
        }
        String type = d.typeOf(inlet.name);
        Context parent = inPlace ? Context.current() : TraceContexts.parent(trace);
        Span span = spans.late(spanName(type, inlet.name), SpanKind.INTERNAL, parent, start)
                .setAllAttributes(describeGear(inlet.name, type, b)).setAttribute(PORT, port)
                .setAttribute(MESSAGE_ID, String.valueOf(msg.id())).setAttribute(OUTCOME, outcome(failure)).startSpan();
        describe(span, msg);
        MessageSpans.fail(span, failure);
        span.end();
    }

    private static String outcome(String failure) {
        return failure == null ? "ok" : failure.startsWith(Dispatcher.REJECTED) ? "rejected" : "failed";
    }

    /**
     * Routes an emitted message: stamps the current span into its trace, or starts a trace for a
     * source's message that has none.
     */
    void emit(Dispatcher d, Inlet inlet, FluxMsg msg, Target[] targets) {
        String instance = inlet.name;
        SpanContext current = Span.current().getSpanContext();
        if (current.isValid()) {
            // The message usually carries the current context already (a gear passing its input on).
            FluxMsg out = TraceContexts.names(msg.trace(), current) ? d.hop(instance, msg)
                    : hop(d, instance, msg, TraceContexts.traceparent(current));
            Dispatcher.deliverAll(out, targets);
            return;
        }
        if (msg.trace() != null) {
            // Emitted later, off the gear's thread (a deferral): the message keeps the trace it has.
            Dispatcher.deliverAll(d.hop(instance, msg), targets);
            return;
        }
        // The sampler decides here whether the trace is sampled: the span is described only when
        // it is (or, recorded unsampled for keep-errors, when it is to be kept: an unusual response
        // code, a failure), so a root the sampler leaves out fills no attribute map.
        String type = d.typeOf(instance);
        Span root = spans.root(spanName(type, instance), SpanKind.SERVER).startSpan();
        boolean described = root.getSpanContext().isSampled() || (spans.keepsErrors() && spans.unusual(responseCode(msg)));
        if (described) {
            describeRoot(root, instance, type, inlet, msg);
        }
        String outcome = "backpressure";
        try (Scope ignored = root.makeCurrent()) {
            Dispatcher.deliverAll(hop(d, instance, msg, MessageSpans.traceparent(root)), targets);
            outcome = "ok";
        } catch (BackPressureException e) {
            if (!described) {
                describeRoot(root, instance, type, inlet, msg);
            }
            MessageSpans.fail(root, e.getMessage());
            throw e;
        } finally {
            root.setAttribute(OUTCOME, outcome);
            root.end();
        }
    }

    private void describeRoot(Span root, String instance, String type, Inlet inlet, FluxMsg msg) {
        if (root.isRecording()) {
            root.setAllAttributes(describeGear(instance, type, inlet.bound())).setAttribute(MESSAGE_ID, String.valueOf(msg.id()));
            describe(root, msg);
        }
    }

    private FluxMsg hop(Dispatcher d, String instance, FluxMsg msg, String trace) {
        if (trace == null || trace.equals(msg.trace())) {
            return d.hop(instance, msg);
        }
        if (msg.src() == null) {
            return msg.toBuilder().trace(trace).src(instance).hop(new Hop(rack, instance, FluxMsg.nowNanos())).build();
        }
        return msg.withTraceAndHop(trace, rack, instance, FluxMsg.nowNanos()); // no Builder: the emit's hot path
    }

    /** @return {@code "<type> <instance>"}, made once per instance and type (a patch may change an instance's type) */
    private String spanName(String type, String instance) {
        String[] cached = names.get(instance);
        if (cached == null || !cached[0].equals(type)) {
            cached = new String[] {type, type + " " + instance};
            names.put(instance, cached);
        }
        return cached[1];
    }

    /** @return whether {@code trace} names the span current on this thread (compared in place, nothing parsed) */
    private static boolean continuesCurrent(String trace) {
        return trace != null && TraceContexts.names(trace, Span.current().getSpanContext());
    }

    /** @return whether a traceparent's flags say sampled (its last hex digit is odd) */
    private static boolean sampled(String trace) {
        return trace.length() == TRACEPARENT_LENGTH && (Character.digit(trace.charAt(TRACEPARENT_LENGTH - 1), 16) & 1) == 1;
    }

    /** @return the ISO 8583 response code the message carries (field 39, or the JSON decision's), or null */
    private static String responseCode(FluxMsg msg) {
        Object rc = msg.data().get("39");
        if (rc == null && msg.data().get("decision") instanceof Map<?, ?> decision) {
            rc = decision.get("response_code");
        }
        return rc instanceof String s ? s : null;
    }

    /** @return the ISO 8583 MTI the message carries (the decoder's meta, or a JSON {@code mti}), or null */
    private static String mti(FluxMsg msg) {
        String mti = msg.meta("iso.mti");
        if (mti == null && msg.data().get("mti") instanceof String s) {
            mti = s;
        }
        return mti;
    }

    /** MTI and response code, when the message carries them (ISO fields or the JSON decision). */
    private static void describe(Span span, FluxMsg msg) {
        if (!span.isRecording()) {
            return;
        }
        String mti = mti(msg);
        if (mti != null) {
            span.setAttribute(MTI, mti);
        }
        String rc = responseCode(msg);
        if (rc != null) {
            span.setAttribute(RESPONSE_CODE, rc);
        }
    }
}
