package io.fluxrig.wire.jetstream;

import io.fluxrig.msg.FluxMsg;
import io.fluxrig.telemetry.MessageSpans;
import io.fluxrig.telemetry.TraceContexts;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import java.util.concurrent.CompletableFuture;

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
 * {@code messaging.consumer.group.name} (the durable consumer). Thread-safe.
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

    /** @param otel the rack's OpenTelemetry, or null to stop tracing */
    synchronized void telemetry(OpenTelemetry otel) {
        bound = otel;
        spans = otel == null ? null : new MessageSpans(otel, SCOPE);
    }

    /** Stops tracing if {@code otel} is the one in use (a replacement may have been bound first). */
    synchronized void unbind(OpenTelemetry otel) {
        if (bound == otel) {
            telemetry(null);
        }
    }

    /** A started send span and the message to publish under it. */
    static final class Send {
        private final Span span;
        final FluxMsg msg;

        private Send(Span span, FluxMsg msg) {
            this.span = span;
            this.msg = msg;
        }

        /** Records the body size and ends the span when the publish completes; returns {@code result}. */
        CompletableFuture<Void> end(CompletableFuture<Void> result, int bodySize) {
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

    /** @return the send span of {@code msg} on {@code wire}, or null when tracing is off */
    Send send(String wire, FluxMsg msg) {
        MessageSpans s = spans;
        if (s == null) {
            return null;
        }
        Span span = s.child("send " + wire, SpanKind.PRODUCER, msg.trace())
                .setAttribute(SYSTEM, "nats").setAttribute(DESTINATION, wire)
                .setAttribute(OPERATION_TYPE, "send").setAttribute(OPERATION_NAME, "send")
                .setAttribute(MESSAGE_ID, WireHeaders.msgId(msg)).startSpan();
        String trace = MessageSpans.traceparent(span);
        return new Send(span, trace == null || trace.equals(msg.trace()) ? msg : msg.toBuilder().trace(trace).build());
    }

    /** A started process span, current on this thread until {@link #close}. */
    static final class Process implements AutoCloseable {
        private final Span span;
        private final Scope scope;

        private Process(Span span) {
            this.span = span;
            this.scope = span.makeCurrent();
        }

        /** @return this span as the traceparent the delivered message carries */
        String traceparent() {
            return MessageSpans.traceparent(span);
        }

        /** Marks the delivery failed (the handler threw). */
        void failed(Throwable t) {
            MessageSpans.fail(span, t.toString());
        }

        @Override
        public void close() {
            scope.close();
            span.end();
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
        SpanContext producer = TraceContexts.spanContext(parent);
        var b = s.child("process " + wire, SpanKind.CONSUMER, parent)
                .setAttribute(SYSTEM, "nats").setAttribute(DESTINATION, wire)
                .setAttribute(CONSUMER_GROUP, consumer)
                .setAttribute(OPERATION_TYPE, "process").setAttribute(OPERATION_NAME, "process")
                .setAttribute(MESSAGE_ID, WireHeaders.msgId(msg))
                .setAttribute(BODY_SIZE, (long) bodySize).setAttribute(DELIVERY_COUNT, (long) deliveryCount);
        if (producer.isValid()) {
            b.addLink(producer);
        }
        return new Process(b.startSpan());
    }
}
