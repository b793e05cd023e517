package io.fluxrig.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * An OTLP/HTTP collector for tests: a JDK {@code HttpServer} on a free loopback port that decodes
 * {@code POST /v1/traces} and {@code /v1/metrics} (protobuf) with the opentelemetry-proto classes,
 * independently of the SDK that sent them, and keeps what it received. {@link #refuse} makes it
 * answer 503 to everything, as an overloaded collector does. Thread-safe; {@link #close} stops it.
 */
public final class OtlpReceiver implements AutoCloseable {

    /** One received span event, flattened: its name and attributes as text. */
    public record ReceivedEvent(String name, Map<String, String> attributes) {
        /** @return the attribute, or null */
        public String attr(String key) {
            return attributes.get(key);
        }
    }

    /** One received span, flattened: ids in lower-case hex, attributes as text, and its events. */
    public record ReceivedSpan(String traceId, String spanId, String parentSpanId, String name, String kind,
            Map<String, String> attributes, List<String> linkedSpanIds, Map<String, String> resource, List<ReceivedEvent> events) {

        /** @return the attribute, or null */
        public String attr(String key) {
            return attributes.get(key);
        }

        @Override
        public String toString() {
            return name + " [" + kind + " trace " + traceId + " span " + spanId + " parent "
                    + (parentSpanId.isEmpty() ? "-" : parentSpanId) + " rack " + resource.get("fluxrig.rack") + "] "
                    + attributes + (linkedSpanIds.isEmpty() ? "" : " links " + linkedSpanIds)
                    + (events.isEmpty() ? "" : " events " + events.stream().map(ReceivedEvent::name).toList());
        }
    }

    private final HttpServer server;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
    private final List<ExportMetricsServiceRequest> metrics = new CopyOnWriteArrayList<>();
    private final List<ExportTraceServiceRequest> traceRequests = new CopyOnWriteArrayList<>();
    private final List<Map<String, String>> requestHeaders = new CopyOnWriteArrayList<>();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile boolean refuse;

    /** Starts listening on 127.0.0.1 on a free port. */
    public OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/traces", this::traces);
        server.createContext("/v1/metrics", this::metrics);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "otlp-receiver");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    /** @return the base URL to configure as OTLP endpoint, e.g. {@code http://127.0.0.1:43817} */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** @param on whether to answer every request with 503 from now on */
    public void refuse(boolean on) {
        refuse = on;
    }

    /** @return how many requests were answered 503 */
    public int refusedRequests() {
        return refused.get();
    }

    /** @return every span received so far */
    public List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    /** @return the spans received so far that match */
    public List<ReceivedSpan> spans(Predicate<ReceivedSpan> filter) {
        return spans.stream().filter(filter).collect(Collectors.toList());
    }

    /**
     * @return every trace export request received so far, as sent: with what {@link ReceivedSpan}
     *     leaves out (event times, span status, scope attributes)
     */
    public List<ExportTraceServiceRequest> traceRequests() {
        return List.copyOf(traceRequests);
    }

    /** @return every metrics export request received so far */
    public List<ExportMetricsServiceRequest> metricRequests() {
        return List.copyOf(metrics);
    }

    /**
     * @return the headers of every request received so far (refused ones included), in arrival
     *     order, names in lower case, the first value of each
     */
    public List<Map<String, String>> requestHeaders() {
        return List.copyOf(requestHeaders);
    }

    private void traces(HttpExchange ex) throws IOException {
        recordHeaders(ex);
        if (answerRefused(ex)) {
            return;
        }
        ExportTraceServiceRequest req;
        try (InputStream in = ex.getRequestBody()) {
            req = ExportTraceServiceRequest.parseFrom(in);
        }
        traceRequests.add(req);
        for (ResourceSpans rs : req.getResourceSpansList()) {
            Map<String, String> resource = text(rs.getResource().getAttributesList());
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span s : ss.getSpansList()) {
                    spans.add(new ReceivedSpan(hex(s.getTraceId().toByteArray()), hex(s.getSpanId().toByteArray()),
                            hex(s.getParentSpanId().toByteArray()), s.getName(), s.getKind().name(),
                            text(s.getAttributesList()),
                            s.getLinksList().stream().map(l -> hex(l.getSpanId().toByteArray())).toList(), resource,
                            s.getEventsList().stream().map(e -> new ReceivedEvent(e.getName(), text(e.getAttributesList()))).toList()));
                }
            }
        }
        ok(ex);
    }

    private void metrics(HttpExchange ex) throws IOException {
        recordHeaders(ex);
        if (answerRefused(ex)) {
            return;
        }
        try (InputStream in = ex.getRequestBody()) {
            metrics.add(ExportMetricsServiceRequest.parseFrom(in));
        }
        ok(ex);
    }

    private void recordHeaders(HttpExchange ex) {
        Map<String, String> headers = new LinkedHashMap<>();
        ex.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0)));
        requestHeaders.add(headers);
    }

    private boolean answerRefused(HttpExchange ex) throws IOException {
        if (!refuse) {
            return false;
        }
        refused.incrementAndGet();
        ex.getRequestBody().readAllBytes();
        ex.sendResponseHeaders(503, -1);
        ex.close();
        return true;
    }

    private static void ok(HttpExchange ex) throws IOException {
        ex.getResponseHeaders().add("Content-Type", "application/x-protobuf");
        ex.sendResponseHeaders(200, -1);
        ex.close();
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static Map<String, String> text(List<KeyValue> kvs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (KeyValue kv : kvs) {
            AnyValue v = kv.getValue();
            m.put(kv.getKey(), switch (v.getValueCase()) {
                case STRING_VALUE -> v.getStringValue();
                case INT_VALUE -> Long.toString(v.getIntValue());
                case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
                case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
                default -> v.toString();
            });
        }
        return m;
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
