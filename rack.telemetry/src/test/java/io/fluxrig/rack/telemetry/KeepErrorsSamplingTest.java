package io.fluxrig.rack.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.telemetry.TraceContexts;
import io.fluxrig.testsupport.OtlpReceiver;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Ratio 0 with "keep errors and declines": only the failed span, the unusual decline and the span of
 * a trace sampled upstream reach a real OTLP receiver; with the rule off, only the sampled one.
 */
class KeepErrorsSamplingTest {
    private static final String SAMPLED_PARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private static final String UNSAMPLED_PARENT = "00-1af7651916cd43dd8448eb211c80319c-c7ad6b7169203331-00";

    @Test
    void unsampledSpansAreExportedOnlyWhenTheyFailOrDeclineUnusually() throws Exception {
        Set<String> got = run(true);
        assertEquals(new TreeSet<>(Set.of("failed", "declined 96", "sampled upstream", "failed under an unsampled parent",
                "gear call rejected", "gear call failed", "gear call backpressure failed")), got);
    }

    @Test
    void withTheRuleOffARatioOfZeroKeepsOnlyWhatWasSampledUpstream() throws Exception {
        assertEquals(Set.of("sampled upstream"), run(false));
    }

    @Test
    void routineCodesAreChecked() {
        TelemetrySettings s = TelemetrySettings.from(Map.of("sampler.ratio", "0.1", "sampler.routine.codes", "00, 05,51,10"), Map.of());
        assertEquals(Set.of("00", "05", "51", "10"), s.routineCodes());
        assertTrue(s.keepErrors());
        assertTrue(s.toString().contains("keeping errors and declines other than 00/05/10/51"), s.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TelemetrySettings.from(Map.of("sampler.routine.codes", "00,4111111111111111"), Map.of()));
        assertTrue(e.getMessage().startsWith("sampler.routine.codes:"), e.getMessage());
        assertFalse(TelemetrySettings.from(Map.of("sampler.keep.errors", "false"), Map.of()).keepErrors());
    }

    private static void gearCall(Tracer tracer, String name, String outcome, boolean error) {
        Span s = tracer.spanBuilder(name).setAttribute("fluxrig.gear.type", "transform").startSpan();
        if (error) {
            s.setStatus(StatusCode.ERROR, "why");
        }
        s.setAttribute("fluxrig.outcome", outcome);
        s.end();
    }

    /** @return the names of the spans the receiver got after the pipeline flushed on close */
    private static Set<String> run(boolean keep) throws Exception {
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            TelemetryPipeline pipeline = new TelemetryPipeline(TelemetrySettings.from(Map.of("enabled", true,
                    "endpoint", receiver.endpoint(), "export.timeout.ms", 20_000, "sampler.ratio", 0.0,
                    "sampler.keep.errors", keep), Map.of()), "edge");
            try {
                Tracer tracer = pipeline.sdk.getTracer("test");
                tracer.spanBuilder("ok").startSpan().end();
                Span failed = tracer.spanBuilder("failed").startSpan();
                failed.setStatus(StatusCode.ERROR, "issuer timeout");
                failed.end();
                tracer.spanBuilder("approved").setAttribute("iso8583.response_code", "00").startSpan().end();
                tracer.spanBuilder("declined 51").setAttribute("iso8583.response_code", "51").startSpan().end();
                tracer.spanBuilder("declined 96").setAttribute("iso8583.response_code", "96").startSpan().end();
                tracer.spanBuilder("sampled upstream").setParent(TraceContexts.parent(SAMPLED_PARENT)).startSpan().end();
                tracer.spanBuilder("routine under an unsampled parent").setParent(TraceContexts.parent(UNSAMPLED_PARENT)).startSpan().end();
                Span downstream = tracer.spanBuilder("failed under an unsampled parent").setParent(TraceContexts.parent(UNSAMPLED_PARENT))
                        .startSpan();
                assertTrue(downstream.isRecording() == keep, "recorded only with the rule on");
                downstream.setStatus(StatusCode.ERROR, "refused");
                downstream.end();
                // Gear-call spans (rack.runtime) are judged by their fluxrig.outcome; an outcome the
                // rule does not name falls back to the status.
                gearCall(tracer, "gear call ok", "ok", false);
                gearCall(tracer, "gear call rejected", "rejected", true);
                gearCall(tracer, "gear call failed", "failed", true);
                gearCall(tracer, "gear call backpressure", "backpressure", false);
                gearCall(tracer, "gear call backpressure failed", "backpressure", true);
            } finally {
                pipeline.close(); // flushes what is queued (bounded by the export timeout)
            }
            return receiver.spans().stream().map(OtlpReceiver.ReceivedSpan::name).collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
