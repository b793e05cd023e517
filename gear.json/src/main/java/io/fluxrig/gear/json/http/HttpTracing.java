package io.fluxrig.gear.json.http;

import io.fluxrig.msg.FluxMsg;
import io.fluxrig.telemetry.MessageSpans;
import io.fluxrig.telemetry.TraceContexts;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import java.net.URI;

/**
 * The HTTP client span of one {@code json.http} call, after OpenTelemetry's HTTP conventions:
 * named by the method, kind CLIENT, child of the gear call's span (current while
 * {@code onMessage} runs) or else of the message's trace; from the first attempt to the outcome,
 * retries included ({@code http.request.resend_count}). Its context is what the backend gets as
 * {@code traceparent} and what the answer message carries. {@code url.full} leaves out the query
 * (it may carry data). A call whose trace is not sampled makes no span when the rack's
 * OpenTelemetry service says how it samples ({@link MessageSpans#unsampled}): the backend gets the
 * caller's traceparent, and only a call that failed is made a span when it ends, with its start
 * time, when the rack keeps errors ({@link MessageSpans#late}). Stateless; a span is ended exactly
 * once, by whoever settles the call.
 */
final class HttpTracing {
    static final String SCOPE = "io.fluxrig.gear.json";
    static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<String> URL = AttributeKey.stringKey("url.full");
    static final AttributeKey<String> SERVER = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<Long> RESEND = AttributeKey.longKey("http.request.resend_count");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    private HttpTracing() {
    }

    /**
     * One call's client span, or for an unsampled call what its span would need if it fails.
     * Handed from the gear's thread to whoever settles the call (published through {@link Call}'s
     * final field).
     */
    static final class Client {
        /** The span; null for an unsampled call, until it fails. */
        private final Span span;
        private final MessageSpans spans;
        private final Context parent;
        private final String method;
        private final URI uri;
        private final long start;
        /** The traceparent the backend gets. */
        final String traceparent;

        private Client(Span span, MessageSpans spans, Context parent, String method, URI uri, long start, String traceparent) {
            this.span = span;
            this.spans = spans;
            this.parent = parent;
            this.method = method;
            this.uri = uri;
            this.start = start;
            this.traceparent = traceparent;
        }
    }

    /** @return the started client span, or null when {@code spans} is null (tracing off) or an unsampled call needs no judging */
    static Client start(MessageSpans spans, FluxMsg msg, String method, URI uri) {
        if (spans == null) {
            return null;
        }
        Context parent = Span.current().getSpanContext().isValid() ? Context.current() : TraceContexts.parent(msg.trace());
        SpanContext pc = Span.fromContext(parent).getSpanContext();
        if (spans.unsampled(pc)) {
            if (!spans.keepsErrors()) {
                return null;
            }
            String trace = TraceContexts.names(msg.trace(), pc) ? msg.trace() : TraceContexts.traceparent(pc);
            return new Client(null, spans, parent, method, uri, MessageSpans.now(), trace);
        }
        Span span = describe(spans.childOfCurrent(method, SpanKind.CLIENT, msg.trace()), method, uri).startSpan();
        return new Client(span, spans, parent, method, uri, 0, MessageSpans.traceparent(span));
    }

    private static SpanBuilder describe(SpanBuilder b, String method, URI uri) {
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        return b.setAttribute(METHOD, method).setAttribute(SERVER, uri.getHost()).setAttribute(PORT, (long) port)
                .setAttribute(URL, uri.getScheme() + "://" + uri.getHost() + ":" + port + (uri.getRawPath() == null ? "" : uri.getRawPath()));
    }

    /** @return the traceparent to send: the span's when tracing, else the message's own */
    static String traceparent(Client client, FluxMsg msg) {
        return client == null ? msg.trace() : client.traceparent;
    }

    /**
     * Ends the span; an unsampled call's span is made now if it failed.
     *
     * @param status the last HTTP status, or 0 when no response came
     * @param problem null on success, else why the call failed (masked before it is recorded)
     */
    static void end(Client client, int attempts, int status, String problem) {
        if (client == null) {
            return;
        }
        Span span = client.span;
        if (span == null) {
            if (problem == null) {
                return;
            }
            span = describe(client.spans.late(client.method, SpanKind.CLIENT, client.parent, client.start), client.method, client.uri)
                    .startSpan();
        }
        if (attempts > 1) {
            span.setAttribute(RESEND, (long) attempts - 1);
        }
        if (status > 0) {
            span.setAttribute(STATUS, (long) status);
        }
        if (problem != null) {
            span.setAttribute(ERROR_TYPE, status >= 400 ? Integer.toString(status) : "fluxrig.json.http.failure");
            MessageSpans.fail(span, problem);
        }
        span.end();
    }
}
