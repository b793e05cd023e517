package io.fluxrig.rack.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The rack's own SDK for benchmarks: rack.telemetry's {@link TelemetryPipeline} built from a
 * configuration map, exactly as a rack builds it from PID {@code fluxrig.telemetry} (sampler,
 * keep-errors processor, batch processor, OTLP/HTTP exporter). In rack.telemetry's package
 * because the pipeline is private to that bundle; bench is plain Java on a class path, never a
 * bundle, so it can reach it. Not thread-safe; one per benchmark trial.
 */
public final class BenchTelemetry implements AutoCloseable {
    private final TelemetryPipeline pipeline;

    /**
     * @param config the configuration properties, as in the rack's {@code fluxrig.telemetry.cfg}
     *     ({@code enabled=true} and {@code endpoint} at least); the environment is not read
     */
    public BenchTelemetry(Map<String, ?> config) {
        this.pipeline = new TelemetryPipeline(TelemetrySettings.from(config, Map.of()), "bench");
        if (pipeline.sdk == null) {
            throw new IllegalArgumentException("tracing is off in " + config);
        }
    }

    /**
     * @param endpoint the traces endpoint ({@code .../v1/traces})
     * @param timeouts what cuts a request that outlives {@code timeout}; the caller owns it
     * @return an OTLP/HTTP span exporter sending with the rack's HTTP sender, configured as the
     *     rack configures it (no retry)
     */
    public static SpanExporter rackExporter(String endpoint, Duration timeout, ScheduledExecutorService timeouts) {
        return OtlpHttpSpanExporter.builder().setEndpoint(endpoint).setTimeout(timeout).setRetryPolicy(null)
                .setComponentLoader(TelemetryPipeline.senders(timeouts)).build();
    }

    /** @return the OpenTelemetry the rack would publish */
    public OpenTelemetry openTelemetry() {
        return pipeline.sdk;
    }

    /** @return the service properties the rack would publish it with (how it samples) */
    public Map<String, Object> serviceProperties() {
        return pipeline.serviceProperties();
    }

    /** @return spans exported and dropped so far, as {@code TelemetryStatus} reports them */
    public String describe() {
        SdkCounters.Totals t = pipeline.counters.totals();
        return "exported " + t.exported() + ", dropped " + t.dropped();
    }

    /** Flushes and stops the SDK, bounded by the export timeout. */
    @Override
    public void close() {
        pipeline.close();
    }
}
