package io.fluxrig.rack.runtime.route;

import io.fluxrig.gear.BackPressureException;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.Hop;
import io.fluxrig.rack.runtime.deploy.GearOrigins;
import io.fluxrig.snake.api.rollout.RolloutTraces;
import io.fluxrig.telemetry.MessageSpans;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;

/**
 * The rack's spans, present only while an {@link OpenTelemetry} service is bound (the
 * {@link Dispatcher} holds null otherwise and pays one volatile read per call).
 *
 * <ul>
 *   <li>Every gear call is a span {@code <type> <instance>} (INTERNAL), child of the context in
 *       the message's {@code trace} field, current while {@code onMessage} runs, with the rack,
 *       gear type, instance, port, message id, outcome ({@code ok}, {@code rejected},
 *       {@code failed}, {@code backpressure}) and, when the message has them, the ISO 8583 MTI and
 *       response code; and the gear's code: its bundle and version and, when a rollout installed
 *       that bundle version or applied the running patch (the newer of the two), the rollout's id
 *       ({@code fluxrig.rollout.id}) and the signed release's sequence ({@code fluxrig.release.sequence}),
 *       made once per binding and deployment ({@link #provenance}), not per message.
 *   <li>A message emitted while a span is current carries that span in its {@code trace} field, so
 *       the next gear's span (on any thread, and across wires) is its child.
 *   <li>A message emitted by a source with no span current and no trace (a terminal's request
 *       read from TCP, a timer tick) starts a trace: a SERVER span {@code <type> <instance>} around
 *       the synchronous chain its emit drives.
 * </ul>
 * Failure reasons in span status are masked by the card-data rule set ({@link MessageSpans#fail}).
 * Holds the tracer and a cache of span names; thread-safe.
 */
final class GearTracing {
    static final String SCOPE = "io.fluxrig.rack.runtime";
    static final AttributeKey<String> RACK = AttributeKey.stringKey("fluxrig.rack");
    static final AttributeKey<String> GEAR_TYPE = AttributeKey.stringKey("fluxrig.gear.type");
    static final AttributeKey<String> GEAR_INSTANCE = AttributeKey.stringKey("fluxrig.gear.instance");
    static final AttributeKey<String> PORT = AttributeKey.stringKey("fluxrig.gear.port");
    static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("fluxrig.message.id");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("fluxrig.outcome");
    static final AttributeKey<String> MTI = AttributeKey.stringKey("iso8583.mti");
    static final AttributeKey<String> RESPONSE_CODE = AttributeKey.stringKey("iso8583.response_code");

    private static final int TRACEPARENT_LENGTH = 55;

    static final AttributeKey<String> BUNDLE = AttributeKey.stringKey(RolloutTraces.BUNDLE_ATTRIBUTE);
    static final AttributeKey<String> BUNDLE_VERSION = AttributeKey.stringKey(RolloutTraces.VERSION_ATTRIBUTE);
    static final AttributeKey<String> ROLLOUT = AttributeKey.stringKey(RolloutTraces.ATTRIBUTE);
    static final AttributeKey<Long> RELEASE_SEQUENCE = AttributeKey.longKey(RolloutTraces.SEQUENCE_ATTRIBUTE);

    private final MessageSpans spans;
    private final String rack;
    /** Where deployed bundles and patches came from; null: spans name no bundle origin. */
    private final GearOrigins origins;
    /** Span names by instance: {type, "<type> <instance>"}; written by any calling thread. */
    private final java.util.concurrent.ConcurrentHashMap<String, String[]> names = new java.util.concurrent.ConcurrentHashMap<>();
    /** What a bound gear's spans say of its code, by instance; re-made when the binding or the origins change. */
    private final java.util.concurrent.ConcurrentHashMap<String, Provenance> provenance = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * A gear binding's code: its bundle and version, and the rollout and release that brought it
     * (or the running patch), as span attributes made once per binding and origins generation.
     */
    private record Provenance(Binding binding, long generation, Attributes attributes) {
    }

    GearTracing(OpenTelemetry otel, String rack) {
        this(otel, rack, null);
    }

    GearTracing(OpenTelemetry otel, String rack, GearOrigins origins) {
        this.spans = new MessageSpans(otel, SCOPE);
        this.rack = rack;
        this.origins = origins;
    }

    /**
     * @return the bound gear's bundle, version, rollout and release sequence as span attributes
     *     (empty when the binding names no bundle); a map lookup, an identity compare and a
     *     volatile read per call, re-made only when the gear is re-bound or a deployment recorded
     *     an origin
     */
    Attributes provenance(String instance, Binding b) {
        if (b == null) {
            return Attributes.empty();
        }
        long generation = origins == null ? 0 : origins.generation();
        Provenance p = provenance.get(instance);
        if (p == null || p.binding() != b || p.generation() != generation) {
            p = new Provenance(b, generation, describe(b.bundle, origins == null ? null : origins.of(b.bundle)));
            provenance.put(instance, p);
        }
        return p.attributes();
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
     * <p>Cost, as profiled under {@code TracingBenchmark}: when the message's trace is the span
     * current on this thread (a synchronous chain: the previous gear emitted it inside its span),
     * that span's context is the parent as it is, instead of parsing the traceparent text into a
     * new remote context. The attributes go on the builder when the parent is sampled (the span
     * will be recorded); otherwise the span is started first and described only if it records
     * (keep-errors sampling), so a span the sampler drops never fills an attribute map.
     */
    void invoke(Dispatcher d, Inlet inlet, Binding b, String port, FluxMsg msg) {
        String type = d.typeOf(inlet.name);
        String name = spanName(type, inlet.name);
        String trace = msg.trace();
        SpanBuilder builder = continuesCurrent(trace) ? spans.childOfCurrent(name, SpanKind.INTERNAL, trace)
                : spans.child(name, SpanKind.INTERNAL, trace);
        Span span;
        if (trace == null || sampled(trace)) {
            span = builder.setAllAttributes(provenance(inlet.name, b)).setAttribute(RACK, rack).setAttribute(GEAR_TYPE, type)
                    .setAttribute(GEAR_INSTANCE, inlet.name).setAttribute(PORT, port).setAttribute(MESSAGE_ID, String.valueOf(msg.id()))
                    .startSpan();
        } else {
            span = builder.startSpan();
            if (span.isRecording()) {
                span.setAllAttributes(provenance(inlet.name, b)).setAttribute(RACK, rack).setAttribute(GEAR_TYPE, type)
                        .setAttribute(GEAR_INSTANCE, inlet.name).setAttribute(PORT, port).setAttribute(MESSAGE_ID, String.valueOf(msg.id()));
            }
        }
        describe(span, msg);
        String outcome = "backpressure";
        try (Scope ignored = span.makeCurrent()) {
            String failure = d.call(inlet, b, port, msg);
            outcome = failure == null ? "ok" : failure.startsWith(Dispatcher.REJECTED) ? "rejected" : "failed";
            if (failure != null) {
                MessageSpans.fail(span, failure);
            }
        } finally {
            span.setAttribute(OUTCOME, outcome);
            span.end();
        }
    }

    /**
     * Routes an emitted message: stamps the current span into its trace, or starts a trace for a
     * source's message that has none.
     */
    void emit(Dispatcher d, Inlet inlet, FluxMsg msg, Target[] targets) {
        String instance = inlet.name;
        Span current = Span.current();
        if (current.getSpanContext().isValid()) {
            Dispatcher.deliverAll(hop(d, instance, msg, MessageSpans.traceparent(current)), targets);
            return;
        }
        if (msg.trace() != null) {
            // Emitted later, off the gear's thread (a deferral): the message keeps the trace it has.
            Dispatcher.deliverAll(d.hop(instance, msg), targets);
            return;
        }
        String type = d.typeOf(instance);
        Span root = spans.root(spanName(type, instance), SpanKind.SERVER).setAllAttributes(provenance(instance, inlet.bound()))
                .setAttribute(RACK, rack).setAttribute(GEAR_TYPE, type).setAttribute(GEAR_INSTANCE, instance)
                .setAttribute(MESSAGE_ID, String.valueOf(msg.id())).startSpan();
        describe(root, msg);
        String outcome = "backpressure";
        try (Scope ignored = root.makeCurrent()) {
            Dispatcher.deliverAll(hop(d, instance, msg, MessageSpans.traceparent(root)), targets);
            outcome = "ok";
        } catch (BackPressureException e) {
            MessageSpans.fail(root, e.getMessage());
            throw e;
        } finally {
            root.setAttribute(OUTCOME, outcome);
            root.end();
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
        if (trace == null || trace.length() != TRACEPARENT_LENGTH) {
            return false;
        }
        SpanContext c = Span.current().getSpanContext();
        return c.isValid() && trace.regionMatches(36, c.getSpanId(), 0, 16) && trace.regionMatches(3, c.getTraceId(), 0, 32)
                && trace.regionMatches(53, c.getTraceFlags().asHex(), 0, 2);
    }

    /** @return whether a traceparent's flags say sampled (its last hex digit is odd) */
    private static boolean sampled(String trace) {
        return trace.length() == TRACEPARENT_LENGTH && (Character.digit(trace.charAt(TRACEPARENT_LENGTH - 1), 16) & 1) == 1;
    }

    /** MTI and response code, when the message carries them (ISO fields or the JSON decision). */
    private static void describe(Span span, FluxMsg msg) {
        if (!span.isRecording()) {
            return;
        }
        String mti = msg.meta("iso.mti");
        if (mti == null && msg.data().get("mti") instanceof String s) {
            mti = s;
        }
        if (mti != null) {
            span.setAttribute(MTI, mti);
        }
        Object rc = msg.data().get("39");
        if (rc == null && msg.data().get("decision") instanceof java.util.Map<?, ?> decision) {
            rc = decision.get("response_code");
        }
        if (rc instanceof String s) {
            span.setAttribute(RESPONSE_CODE, s);
        }
    }
}
