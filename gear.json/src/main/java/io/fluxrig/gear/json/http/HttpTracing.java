package io.fluxrig.gear.json.http;

import io.fluxrig.msg.FluxMsg;
import io.fluxrig.telemetry.MessageSpans;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import java.net.URI;

/**
 * The HTTP client span of one {@code json.http} call, after OpenTelemetry's HTTP conventions:
 * named by the method, kind CLIENT, child of the gear call's span (current while
 * {@code onMessage} runs) or else of the message's trace; from the first attempt to the outcome,
 * retries included ({@code http.request.resend_count}). Its context is what the backend gets as
 * {@code traceparent} and what the answer message carries. {@code url.full} leaves out the query
 * (it may carry data). Stateless; a span is ended exactly once, by whoever settles the call.
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

    /** @return the started client span, or null when {@code spans} is null (tracing off) */
    static Span start(MessageSpans spans, FluxMsg msg, String method, URI uri) {
        if (spans == null) {
            return null;
        }
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        return spans.childOfCurrent(method, SpanKind.CLIENT, msg.trace())
                .setAttribute(METHOD, method).setAttribute(SERVER, uri.getHost()).setAttribute(PORT, (long) port)
                .setAttribute(URL, uri.getScheme() + "://" + uri.getHost() + ":" + port + (uri.getRawPath() == null ? "" : uri.getRawPath()))
                .startSpan();
    }

    /** @return the traceparent to send: the span's when tracing, else the message's own */
    static String traceparent(Span span, FluxMsg msg) {
        return span == null ? msg.trace() : MessageSpans.traceparent(span);
    }

    /**
     * Ends the span.
     *
     * @param status the last HTTP status, or 0 when no response came
     * @param problem null on success, else why the call failed (masked before it is recorded)
     */
    static void end(Span span, int attempts, int status, String problem) {
        if (span == null) {
            return;
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
