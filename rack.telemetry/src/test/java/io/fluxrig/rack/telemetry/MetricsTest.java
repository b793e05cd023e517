package io.fluxrig.rack.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.testsupport.Await;
import io.fluxrig.testsupport.OtlpReceiver;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metrics side of the pipeline: Prometheus text, the bearer token, OTLP export. */
class MetricsTest {
    @TempDir
    Path dir;

    @Test
    void metricsAreWrittenAsPrometheusTextWithTheJvmBasics() throws Exception {
        TelemetryPipeline p = new TelemetryPipeline(TelemetrySettings.from(Map.of(), Map.of()), "edge");
        try {
            p.meters.get("test").counterBuilder("fluxrig.test.messages").build()
                    .add(7, Attributes.of(AttributeKey.stringKey("fluxrig.gear.instance"), "decode"));
            MetricsServlet servlet = new MetricsServlet(p.prometheus, "0123456789abcdef0123");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            servlet.write(out);
            String text = out.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("fluxrig_test_messages_total{"), text);
            assertTrue(text.lines().anyMatch(l -> l.startsWith("fluxrig_test_messages_total{")
                    && l.contains("fluxrig_gear_instance=\"decode\"") && l.endsWith(" 7.0")), text);
            assertTrue(text.contains("jvm_memory_used_bytes{"), text);
            assertTrue(text.contains("jvm_thread_count"), text);
            assertTrue(servlet.authorised("Bearer 0123456789abcdef0123"));
            assertFalse(servlet.authorised("Bearer 0123456789abcdef0124"));
            assertFalse(servlet.authorised(null));
            assertFalse(servlet.authorised("Basic YWRtaW46YWRtaW4="));
        } finally {
            p.close();
        }
    }

    @Test
    void theTokenFileIsCreatedOnceWithOwnerOnlyAccess() throws Exception {
        Path file = dir.resolve("racks/edge/metrics.token");
        String token = TelemetryComponent.token(file);
        assertEquals(64, token.length());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(token, TelemetryComponent.token(file), "kept across restarts");
    }

    @Test
    void withExportOnMetricsGoOverOtlpToo() throws Exception {
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            TelemetryPipeline p = new TelemetryPipeline(TelemetrySettings.from(Map.of("enabled", true, "endpoint",
                    receiver.endpoint(), "metrics.interval.ms", 200), Map.of()), "edge");
            try {
                p.meters.get("test").counterBuilder("fluxrig.test.exported").build().add(3);
                Await.until("metrics at the receiver", () -> receiver.metricRequests().stream()
                        .flatMap(r -> r.getResourceMetricsList().stream())
                        .flatMap(rm -> rm.getScopeMetricsList().stream())
                        .flatMap(sm -> sm.getMetricsList().stream())
                        .anyMatch(m -> m.getName().equals("fluxrig.test.exported")
                                && m.getSum().getDataPoints(0).getAsInt() == 3));
            } finally {
                p.close();
            }
        }
    }

    /**
     * A histogram measured inside a sampled span: exported without an exemplar by default, and with
     * one naming that span's trace and span when {@code metrics.exemplars=trace_based}.
     */
    @Test
    void exemplarsAreOffUnlessConfiguredAndThenNameTheSpanTheMeasurementWasTakenIn() throws Exception {
        assertEquals(java.util.List.of(), exportedExemplars(Map.of()), "off by default");
        var exemplars = exportedExemplars(Map.of("metrics.exemplars", "trace_based"));
        assertEquals(1, exemplars.size(), exemplars.toString());
        assertEquals("0af7651916cd43dd8448eb211c80319c", java.util.HexFormat.of().formatHex(exemplars.get(0).getTraceId().toByteArray()));
        assertEquals(8, exemplars.get(0).getSpanId().size(), "the span the measurement was taken in");
        assertFalse(java.util.HexFormat.of().formatHex(exemplars.get(0).getSpanId().toByteArray()).equals("b7ad6b7169203331"),
                "the child span, not its parent");
        assertEquals(5.0, exemplars.get(0).getAsDouble());
    }

    /** @return the exemplars of histogram {@code fluxrig.test.duration}, measured once (5.0) inside a sampled span */
    private static java.util.List<io.opentelemetry.proto.metrics.v1.Exemplar> exportedExemplars(Map<String, Object> extra)
            throws Exception {
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            Map<String, Object> config = new java.util.HashMap<>(Map.of("enabled", true, "endpoint", receiver.endpoint(),
                    "metrics.interval.ms", 200));
            config.putAll(extra);
            TelemetryPipeline p = new TelemetryPipeline(TelemetrySettings.from(config, Map.of()), "edge");
            try {
                var histogram = p.meters.get("test").histogramBuilder("fluxrig.test.duration").build();
                var span = p.sdk.getTracer("test").spanBuilder("gear decode")
                        .setParent(io.fluxrig.telemetry.TraceContexts.parent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"))
                        .startSpan();
                try (var ignored = span.makeCurrent()) {
                    histogram.record(5.0);
                } finally {
                    span.end();
                }
                java.util.concurrent.atomic.AtomicReference<io.opentelemetry.proto.metrics.v1.HistogramDataPoint> point =
                        new java.util.concurrent.atomic.AtomicReference<>();
                Await.until("the histogram at the receiver", () -> {
                    receiver.metricRequests().stream().flatMap(r -> r.getResourceMetricsList().stream())
                            .flatMap(rm -> rm.getScopeMetricsList().stream()).flatMap(sm -> sm.getMetricsList().stream())
                            .filter(m -> m.getName().equals("fluxrig.test.duration") && m.getHistogram().getDataPointsCount() == 1)
                            .findFirst().ifPresent(m -> point.set(m.getHistogram().getDataPoints(0)));
                    return point.get() != null;
                });
                assertEquals(1, point.get().getCount());
                return point.get().getExemplarsList();
            } finally {
                p.close();
            }
        }
    }
}
