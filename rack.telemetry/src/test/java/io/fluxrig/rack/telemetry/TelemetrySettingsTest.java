package io.fluxrig.rack.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TelemetrySettingsTest {

    @Test
    void offWithoutConfigurationOrEnvironment() {
        TelemetrySettings s = TelemetrySettings.from(Map.of(), Map.of());
        assertFalse(s.enabled());
        assertEquals("http://localhost:4318/v1/traces", s.tracesEndpoint());
        assertEquals(1.0, s.ratio());
        assertEquals(8192, s.queueSize());
        assertEquals(2048, s.batchSize());
        assertEquals(1000, s.exportDelayMs());
        assertEquals("span", s.gearCalls(), "each gear call a span unless configured otherwise");
        assertEquals("always_off", s.exemplars(), "no exemplars unless asked for");
    }

    @Test
    void exemplarsAreConfiguredOrTakenFromTheStandardVariableAndAnUnknownFilterIsRefused() {
        assertEquals("trace_based", TelemetrySettings.from(Map.of(), Map.of("OTEL_METRICS_EXEMPLAR_FILTER", "TRACE_BASED")).exemplars());
        TelemetrySettings s = TelemetrySettings.from(Map.of("metrics.exemplars", "always_on"),
                Map.of("OTEL_METRICS_EXEMPLAR_FILTER", "trace_based"));
        assertEquals("always_on", s.exemplars(), "the configuration wins");
        assertTrue(s.toString().contains("with exemplars always_on"), s.toString());
        assertEquals("metrics.exemplars: 'sometimes' is not one of always_off, trace_based, always_on",
                assertThrows(IllegalArgumentException.class, () -> TelemetrySettings.from(Map.of("metrics.exemplars", "sometimes"),
                        Map.of())).getMessage());
        assertEquals("OTEL_METRICS_EXEMPLAR_FILTER: 'x' is not one of always_off, trace_based, always_on",
                assertThrows(IllegalArgumentException.class, () -> TelemetrySettings.from(Map.of(),
                        Map.of("OTEL_METRICS_EXEMPLAR_FILTER", "x"))).getMessage());
    }

    @ParameterizedTest
    @CsvSource({"' event ', event, gear calls as events", "failures, failures, gear calls as spans only when they fail"})
    void howGearCallsAreRecordedIsConfiguredAndHandedToInstrumentedBundlesAsAServiceProperty(String configured, String mode,
            String described) {
        TelemetrySettings s = TelemetrySettings.from(Map.of("enabled", true, "trace.gear.calls", configured, "metrics.enabled", false),
                Map.of());
        assertEquals(mode, s.gearCalls());
        assertTrue(s.toString().contains(described), s.toString());
        try (TelemetryPipeline p = new TelemetryPipeline(s, "edge")) {
            assertEquals(mode, p.serviceProperties().get(io.fluxrig.telemetry.MessageSpans.GEAR_CALLS));
        }
    }

    @Test
    void theStandardVariablesTurnItOnAndSetTheValues() {
        TelemetrySettings s = TelemetrySettings.from(Map.of(), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318",
                "OTEL_TRACES_SAMPLER_ARG", "0.25", "OTEL_BSP_MAX_QUEUE_SIZE", "100", "OTEL_SERVICE_NAME", "edge-svc",
                "OTEL_EXPORTER_OTLP_HEADERS", "authorization=Bearer%20s3cret"));
        assertTrue(s.enabled());
        assertEquals("http://c:4318/v1/traces", s.tracesEndpoint());
        assertEquals(0.25, s.ratio());
        assertEquals(100, s.queueSize());
        assertEquals(100, s.batchSize(), "a batch is at most the queue");
        assertEquals("edge-svc", s.serviceName());
        assertEquals("Bearer s3cret", s.headers().get("authorization"));
        assertFalse(s.toString().contains("s3cret"), s.toString());
        assertFalse(TelemetrySettings.from(Map.of(), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318",
                "OTEL_SDK_DISABLED", "true")).enabled());
        assertEquals("http://t:1/x", TelemetrySettings.from(Map.of(),
                Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://t:1/x")).tracesEndpoint());
    }

    @Test
    void theConfigurationWinsOverTheEnvironment() {
        TelemetrySettings s = TelemetrySettings.from(Map.of("enabled", false, "endpoint", "http://cfg:4318/",
                "sampler.ratio", 0.5), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://env:4318", "OTEL_TRACES_SAMPLER_ARG", "0.1"));
        assertFalse(s.enabled());
        assertEquals("http://cfg:4318/v1/traces", s.tracesEndpoint());
        assertEquals(0.5, s.ratio());
    }

    @Test
    void theBatchProcessorsStandardVariablesSetBatchSizeAndDelay() {
        TelemetrySettings s = TelemetrySettings.from(Map.of(), Map.of("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "1024",
                "OTEL_BSP_SCHEDULE_DELAY", "5000"));
        assertEquals(1024, s.batchSize());
        assertEquals(5000, s.exportDelayMs());
        TelemetrySettings c = TelemetrySettings.from(Map.of("export.batch.size", 64, "export.delay.ms", "1000"),
                Map.of("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "1024", "OTEL_BSP_SCHEDULE_DELAY", "5000"));
        assertEquals(64, c.batchSize());
        assertEquals(1000, c.exportDelayMs());
        assertTrue(c.toString().contains("batches of up to 64 every 1000 ms"), c.toString());
        assertEquals(100, TelemetrySettings.from(Map.of("queue.size", 100, "export.batch.size", 512), Map.of()).batchSize(),
                "a batch larger than the queue is the queue (the console saves the default batch with a smaller queue)");
    }

    @Test
    void badValuesNameTheirSource() {
        assertEquals("export.batch.size: 0 must be at least 1", assertThrows(IllegalArgumentException.class,
                () -> TelemetrySettings.from(Map.of("export.batch.size", 0), Map.of())).getMessage());
        assertEquals("export.delay.ms: 0 must be at least 1", assertThrows(IllegalArgumentException.class,
                () -> TelemetrySettings.from(Map.of("export.delay.ms", 0), Map.of())).getMessage());
        assertEquals("OTEL_BSP_SCHEDULE_DELAY: 'soon' is not a number", assertThrows(IllegalArgumentException.class,
                () -> TelemetrySettings.from(Map.of(), Map.of("OTEL_BSP_SCHEDULE_DELAY", "soon"))).getMessage());
        assertEquals("sampler.ratio: 1.5 is not between 0 and 1", assertThrows(IllegalArgumentException.class,
                () -> TelemetrySettings.from(Map.of("sampler.ratio", 1.5), Map.of())).getMessage());
        assertEquals("OTEL_BSP_MAX_QUEUE_SIZE: 'lots' is not a number", assertThrows(IllegalArgumentException.class,
                () -> TelemetrySettings.from(Map.of(), Map.of("OTEL_BSP_MAX_QUEUE_SIZE", "lots"))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> TelemetrySettings.from(Map.of("endpoint", "ftp://x"), Map.of())).getMessage().startsWith("endpoint: "));
        assertEquals("trace.gear.calls: 'spans' is not one of span, event, failures", assertThrows(IllegalArgumentException.class,
                () -> TelemetrySettings.from(Map.of("trace.gear.calls", "spans"), Map.of())).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> TelemetrySettings.from(Map.of("endpoint", "http://u:pw@x:1"), Map.of())).getMessage()
                .contains("credentials do not belong in the URL"));
    }
}
