package io.fluxrig.wire.jetstream;

import io.fluxrig.msg.FluxMsg;
import io.fluxrig.telemetry.MessageSpans;
import io.fluxrig.telemetry.TraceContexts;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The wire's spans, after OpenTelemetry's messaging semantic conventions, while an
 * {@link OpenTelemetry} service is bound ({@link #spans} null otherwise: one volatile read per
 * message). The set-up shared with the other instrumented bundles is {@link MessageSpans}.
 *
 * <ul>
 *   <li>{@code send <wire>} (PRODUCER): from the publish call to JetStream's ack, child of the
 *       message's trace. The message is published with this span as its trace, in the fluxMsg
 *       {@code trace} field and in the {@code traceparent} NATS header.
 *   <li>{@code process <wire>} (CONSUMER): around the handler call of one delivery. Its parent is
 *       the producer's context (the {@code traceparent} header, else the fluxMsg trace), so one
 *       transaction stays one trace across racks; it also carries a link to that context, as the
 *       conventions ask of consumer spans. The delivered message carries this span as its trace.
 * </ul>
 * Attributes: {@code messaging.system=nats}, {@code messaging.destination.name} (the wire),
 * {@code messaging.operation.type}/{@code .name}, {@code messaging.message.id}
 * ({@code Nats-Msg-Id}), {@code messaging.message.body.size}, and on process spans
 * {@code messaging.consumer.group.name} (the durable consumer).
 *
 * <p>A message whose trace is not sampled gets no span when the rack's OpenTelemetry service says
 * how it samples ({@link MessageSpans#unsampled}): it is published and delivered under the trace it
 * carries, and only a publish that failed or a delivery whose handler threw is made a span
 * afterwards, with its start time, when the rack keeps errors ({@link MessageSpans#late}).
 * Thread-safe.
 */
final class WireTracing {
    static final String SCOPE = "io.fluxrig.wire.jetstream";
    static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
    static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
    static final AttributeKey<Long> BODY_SIZE = AttributeKey.longKey("messaging.message.body.size");
    static final AttributeKey<String> CONSUMER_GROUP = AttributeKey.stringKey("messaging.consumer.group.name");
    static final AttributeKey<Long> DELIVERY_COUNT = AttributeKey.longKey("fluxrig.wire.delivery_count");

    private volatile MessageSpans spans;
    private OpenTelemetry bound;
    /** Span names by wire ({@code send <wire>}, {@code process <wire>}): a handful of wires, made once. */
    private final Map<String, String> sendNames = new ConcurrentHashMap<>();
    private final Map<String, String> processNames = new ConcurrentHashMap<>();

    /** @param otel the rack's OpenTelemetry, or null to stop tracing */
    void telemetry(OpenTelemetry otel) {
        telemetry(otel, Map.of());
    }

    /**
     * @param otel the rack's OpenTelemetry, or null to stop tracing
     * @param properties its service properties: how the rack samples ({@link MessageSpans#KEEP_ERRORS})
     */
    synchronized void telemetry(OpenTelemetry otel, Map<String, ?> properties) {
        bound = otel;
        spans = otel == null ? null : new MessageSpans(otel, SCOPE, properties);
    }

    /** Stops tracing if {@code otel} is the one in use (a replacement may have been bound first). */
    synchronized void unbind(OpenTelemetry otel) {
        if (bound == otel) {
            telemetry(null);
        }
    }

    /** A started send span (or an unsampled send judged when it completes) and the message to publish. */
    final class Send {
        private final Span span;
        private final MessageSpans unsampled;
        private final String wire;
        private final long start;
        final FluxMsg msg;

        private Send(Span span, FluxMsg msg) {
            this.span = span;
            this.msg = msg;
            this.unsampled = null;
            this.wire = null;
            this.start = 0;
        }

        /** An unsampled send: no span unless it fails and the rack keeps errors. */
        private Send(MessageSpans unsampled, String wire, FluxMsg msg) {
            this.span = null;
            this.msg = msg;
            this.unsampled = unsampled;
            this.wire = wire;
            this.start = MessageSpans.now();
        }

        /** Records the body size and ends the span when the publish completes; returns {@code result}. */
        CompletableFuture<Void> end(CompletableFuture<Void> result, int bodySize) {
            if (span == null) {
                result.whenComplete((ok, failure) -> {
                    if (failure != null) {
                        Span late = describeSend(unsampled.late(sendName(wire), SpanKind.PRODUCER,
                                TraceContexts.parent(msg.trace()), start), wire, msg).setAttribute(BODY_SIZE, (long) bodySize).startSpan();
                        MessageSpans.fail(late, failure.getMessage());
                        late.end();
                    }
                });
                return result;
            }
            span.setAttribute(BODY_SIZE, (long) bodySize);
            result.whenComplete((ok, failure) -> {
                if (failure != null) {
                    MessageSpans.fail(span, failure.getMessage());
                }
                span.end();
            });
            return result;
        }
    }

    /** @return the send span of {@code msg} on {@code wire}, or null when tracing is off or nothing is to be judged */
    Send send(String wire, FluxMsg msg) {
        MessageSpans s = spans;
        if (s == null) {
            return null;
        }
        if (s.unsampled(msg.trace())) {
            return s.keepsErrors() ? new Send(s, wire, msg) : null;
        }
        Span span = describeSend(s.child(sendName(wire), SpanKind.PRODUCER, msg.trace()), wire, msg).startSpan();
        String trace = MessageSpans.traceparent(span);
        return new Send(span, trace == null || trace.equals(msg.trace()) ? msg : msg.toBuilder().trace(trace).build());
    }

    private static SpanBuilder describeSend(SpanBuilder b, String wire, FluxMsg msg) {
        return b.setAttribute(SYSTEM, "nats").setAttribute(DESTINATION, wire)
                .setAttribute(OPERATION_TYPE, "send").setAttribute(OPERATION_NAME, "send")
                .setAttribute(MESSAGE_ID, WireHeaders.msgId(msg));
    }

    private String sendName(String wire) {
        return sendNames.computeIfAbsent(wire, w -> "send " + w);
    }

    private String processName(String wire) {
        return processNames.computeIfAbsent(wire, w -> "process " + w);
    }

    /** What an unsampled delivery's span would say, kept until the handler returns. */
    private record Late(MessageSpans spans, String wire, String consumer, FluxMsg msg, int bodySize, int deliveryCount, long start) {
    }

    /**
     * A started process span, current on this thread until {@link #close}; or, for an unsampled
     * delivery, no span until the handler fails.
     */
    final class Process implements AutoCloseable {
        private Span span;
        private final Scope scope;
        /** The producer's context (header, else the fluxMsg trace); for an unsampled delivery also its trace. */
        private final String parent;
        private final Late late;

        private Process(Span span, String parent) {
            this.span = span;
            this.scope = span.makeCurrent();
            this.parent = parent;
            this.late = null;
        }

        private Process(Late late, String parent) {
            this.span = null;
            this.scope = null;
            this.parent = parent;
            this.late = late;
        }

        /** @return this span as the traceparent the delivered message carries (unsampled: the producer's) */
        String traceparent() {
            return span == null ? parent : MessageSpans.traceparent(span);
        }

        /** Marks the delivery failed (the handler threw); an unsampled delivery's span is made now when the rack keeps errors. */
        void failed(Throwable t) {
            if (span == null && late != null) {
                span = describeProcess(late.spans().late(processName(late.wire()), SpanKind.CONSUMER, TraceContexts.parent(parent),
                        late.start()), late.wire(), late.consumer(), late.msg(), parent, late.bodySize(), late.deliveryCount()).startSpan();
            }
            if (span != null) {
                MessageSpans.fail(span, t.toString());
            }
        }

        @Override
        public void close() {
            if (scope != null) {
                scope.close();
            }
            if (span != null) {
                span.end();
            }
        }
    }

    /**
     * @param header the {@code traceparent} NATS header, or null
     * @return the process span of one delivery, or null when tracing is off
     */
    Process process(String wire, String consumer, FluxMsg msg, String header, int bodySize, int deliveryCount) {
        MessageSpans s = spans;
        if (s == null) {
            return null;
        }
        String parent = header != null ? header : msg.trace();
        if (s.unsampled(parent)) {
            Late late = s.keepsErrors() ? new Late(s, wire, consumer, msg, bodySize, deliveryCount, MessageSpans.now()) : null;
            return new Process(late, parent);
        }
        return new Process(describeProcess(s.child(processName(wire), SpanKind.CONSUMER, parent), wire, consumer, msg, parent,
                bodySize, deliveryCount).startSpan(), parent);
    }

    private static SpanBuilder describeProcess(SpanBuilder b, String wire, String consumer, FluxMsg msg, String parent, int bodySize,
            int deliveryCount) {
        b.setAttribute(SYSTEM, "nats").setAttribute(DESTINATION, wire)
                .setAttribute(CONSUMER_GROUP, consumer)
                .setAttribute(OPERATION_TYPE, "process").setAttribute(OPERATION_NAME, "process")
                .setAttribute(MESSAGE_ID, WireHeaders.msgId(msg))
                .setAttribute(BODY_SIZE, (long) bodySize).setAttribute(DELIVERY_COUNT, (long) deliveryCount);
        SpanContext producer = TraceContexts.spanContext(parent);
        if (producer.isValid()) {
            b.addLink(producer);
        }
        return b;
    }
}
