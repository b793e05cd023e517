package io.fluxrig.rack.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.fluxrig.telemetry.RackFlow;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The live page's numbers, from the pipeline's own Prometheus reader after known recordings. */
class LiveViewTest {
    @Test
    void gearAndWireRowsCarryTheCountsPendingAndPercentiles() throws Exception {
        TelemetryPipeline p = new TelemetryPipeline(TelemetrySettings.from(Map.of(), Map.of()), "edge");
        try {
            Meter meter = p.meters.get("test");
            Attributes gear = Attributes.of(AttributeKey.stringKey("fluxrig.gear.instance"), "decode",
                    AttributeKey.stringKey("fluxrig.gear.type"), "iso8583.codec");
            Attributes wire = Attributes.of(AttributeKey.stringKey("messaging.destination.name"), "auth.requests",
                    AttributeKey.stringKey("messaging.consumer.group.name"), "core-in");
            meter.counterBuilder("fluxrig.gear.messages.in").setUnit("{message}").buildWithCallback(m -> m.record(42, gear));
            meter.counterBuilder("fluxrig.gear.errors").setUnit("{message}").buildWithCallback(m -> m.record(2, gear));
            DoubleHistogram duration = meter.histogramBuilder("fluxrig.gear.duration").setUnit("s")
                    .setExplicitBucketBoundariesAdvice(java.util.List.of(0.001, 0.005, 0.01, 0.05, 0.25, 1.0)).build();
            for (int i = 0; i < 100; i++) {
                duration.record(i < 98 ? 0.003 : 0.2, gear);
            }
            meter.gaugeBuilder("fluxrig.wire.broker.pending").ofLongs().setUnit("{message}").buildWithCallback(m -> m.record(12, wire));
            meter.counterBuilder("fluxrig.wire.delivered").setUnit("{message}").buildWithCallback(m -> m.record(7, wire));

            Map<String, Object> view = LiveView.of(p.prometheus, 1234L);
            assertEquals(1234L, view.get("at"));
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> gears = (Map<String, Map<String, Object>>) view.get("gears");
            Map<String, Object> decode = gears.get("decode");
            assertEquals("iso8583.codec", decode.get("type"));
            assertEquals(42L, decode.get("messages_in"));
            assertEquals(2L, decode.get("errors"));
            assertEquals(100L, decode.get("duration_seconds_count"), decode.toString());
            assertEquals(5.0, (Double) decode.get("duration_seconds_p50_ms"), 1e-9, "the 5 ms bucket holds the median");
            assertEquals(250.0, (Double) decode.get("duration_seconds_p99_ms"), 1e-9, "the 250 ms bucket holds the 99th");
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> wires = (Map<String, Map<String, Object>>) view.get("wires");
            Map<String, Object> w = wires.get("auth.requests core-in");
            assertEquals(12L, w.get("broker_pending"));
            assertEquals(7L, w.get("delivered"));
            assertEquals("core-in", w.get("consumer"));

            StringWriter json = new StringWriter();
            try (JsonGenerator g = new JsonFactory().createGenerator(json)) {
                LiveConsolePlugin.write(g, view);
            }
            assertTrue(json.toString().contains("\"decode\":{\"type\":\"iso8583.codec\""), json.toString());
        } finally {
            p.close();
        }
    }

    @Test
    void aPercentileIsItsBucketsBoundAndNothingWithoutObservations() {
        ClassicHistogramBuckets b = ClassicHistogramBuckets.of(new double[] {0.001, 0.01, Double.POSITIVE_INFINITY},
                new long[] {0, 0, 0});
        assertNull(LiveView.percentileMillis(b, 0.5));
        ClassicHistogramBuckets tail = ClassicHistogramBuckets.of(new double[] {0.001, 0.01, Double.POSITIVE_INFINITY},
                new long[] {1, 0, 9});
        assertEquals(10.0, LiveView.percentileMillis(tail, 0.99), 1e-9, "in +Inf: the largest finite bound");
    }

    @Test
    void theLinksForThePictureAreSplitIntoGearsPortsAndWires() throws Exception {
        TelemetryPipeline p = new TelemetryPipeline(TelemetrySettings.from(Map.of(), Map.of()), "edge");
        try {
            Map<String, Object> view = LiveView.of(p.prometheus, 1L, java.util.List.of("wire:auth.requests -> decode.in",
                    "decode.out -> issuer.in", "issuer.out -> wire:auth.replies", "not a link", "a. -> b.in"));
            assertEquals(java.util.List.of(
                    Map.of("from", "wire:auth.requests", "to", "decode", "toPort", "in"),
                    Map.of("from", "decode", "fromPort", "out", "to", "issuer", "toPort", "in"),
                    Map.of("from", "issuer", "fromPort", "out", "to", "wire:auth.replies")), view.get("links"),
                    "malformed entries are left out");
            StringWriter json = new StringWriter();
            try (JsonGenerator g = new JsonFactory().createGenerator(json)) {
                LiveConsolePlugin.write(g, view);
            }
            assertTrue(json.toString().contains("\"links\":[{\"from\":\"wire:auth.requests\",\"to\":\"decode\",\"toPort\":\"in\"}"),
                    json.toString());
            assertEquals(java.util.List.of(), LiveView.of(p.prometheus, 1L).get("links"), "no rack runtime: no picture");
        } finally {
            p.close();
        }
    }

    @Test
    void theShownPercentilesAreTheRecentWindowsAndSinceStartOnlyWhenTheWindowSawNoCall() throws Exception {
        TelemetryPipeline p = new TelemetryPipeline(TelemetrySettings.from(Map.of(), Map.of()), "edge");
        try {
            Meter meter = p.meters.get("test");
            DoubleHistogram duration = meter.histogramBuilder("fluxrig.gear.duration").setUnit("s")
                    .setExplicitBucketBoundariesAdvice(java.util.List.of(0.001, 0.005, 0.01, 0.05, 0.25, 1.0)).build();
            for (String gear : java.util.List.of("decode", "issuer")) {
                Attributes a = Attributes.of(AttributeKey.stringKey("fluxrig.gear.instance"), gear);
                for (int i = 0; i < 100; i++) {
                    duration.record(0.003, a); // since start: p50 and p99 in the 5 ms bucket
                }
            }
            // decode slowed down lately: its window says so; issuer was not called in the window
            Map<String, RackFlow.Latency> recent = Map.of("decode", new RackFlow.Latency(40, 180.0, 900.0, 30_000),
                    "idle", new RackFlow.Latency(0, 0, 0, 30_000));

            Map<String, Object> view = LiveView.of(p.prometheus, 1L, java.util.List.of(), recent);
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> gears = (Map<String, Map<String, Object>>) view.get("gears");
            Map<String, Object> decode = gears.get("decode");
            assertEquals(180.0, decode.get("p50_ms"), decode.toString());
            assertEquals(900.0, decode.get("p99_ms"));
            assertEquals("last 30 s", decode.get("latency_over"));
            assertEquals(5.0, decode.get("duration_seconds_p99_ms"), "the since-start values stay in the row");
            Map<String, Object> issuer = gears.get("issuer");
            assertEquals(5.0, issuer.get("p50_ms"), issuer.toString());
            assertEquals(5.0, issuer.get("p99_ms"));
            assertEquals("since start", issuer.get("latency_over"));
            assertNull(gears.get("idle"), "a window without calls adds no row");

            Map<String, Object> withoutRuntime = LiveView.of(p.prometheus, 1L);
            @SuppressWarnings("unchecked")
            Map<String, Object> alone = ((Map<String, Map<String, Object>>) withoutRuntime.get("gears")).get("decode");
            assertEquals("since start", alone.get("latency_over"), "no rack runtime: the values since start");
            assertEquals(5.0, alone.get("p99_ms"));
        } finally {
            p.close();
        }
    }

    @Test
    void aGearWithoutCallsSinceStartHasNoShownPercentiles() throws Exception {
        TelemetryPipeline p = new TelemetryPipeline(TelemetrySettings.from(Map.of(), Map.of()), "edge");
        try {
            Attributes a = Attributes.of(AttributeKey.stringKey("fluxrig.gear.instance"), "decode");
            p.meters.get("test").counterBuilder("fluxrig.gear.messages.in").buildWithCallback(m -> m.record(0, a));
            @SuppressWarnings("unchecked")
            Map<String, Object> decode = ((Map<String, Map<String, Object>>) LiveView.of(p.prometheus, 1L).get("gears")).get("decode");
            assertEquals(0L, decode.get("messages_in"), decode.toString());
            assertNull(decode.get("latency_over"));
            assertNull(decode.get("p99_ms"));
        } finally {
            p.close();
        }
    }
}
