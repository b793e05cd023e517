package io.fluxrig.rack.telemetry;

import io.fluxrig.telemetry.MessageSpans;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.exporter.prometheus.PrometheusMetricReader;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.InternalTelemetryVersion;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import io.opentelemetry.sdk.metrics.ExemplarFilter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.SdkMeterProviderBuilder;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The SDK objects of one configuration: one meter provider (rack metrics, JVM basics and the
 * SDK's own span-pipeline counters) read by {@link SdkCounters}, by Prometheus scrapes and, while
 * export is enabled, every {@code metrics.interval.ms} by an OTLP/HTTP exporter; and, while
 * export is enabled, the tracer provider (batch processor, OTLP/HTTP). Both exporters send with
 * {@link OtlpHttpSender} on their own export threads; the one scheduler that cuts requests which
 * outlive the export timeout is this pipeline's. Built without I/O; the exporters connect on their
 * first batch. Owned by {@link TelemetryComponent}; {@link #close} flushes and stops everything,
 * bounded by the export timeout.
 */
final class TelemetryPipeline implements AutoCloseable {
    final TelemetrySettings settings;
    final SdkCounters counters = new SdkCounters();
    final SdkMeterProvider meters;
    /** Prometheus' view of {@link #meters}; null when metrics are off. */
    final PrometheusMetricReader prometheus;
    /** Traces and metrics over OTLP; null when export is off. */
    final OpenTelemetrySdk sdk;
    /** Cuts OTLP requests that outlive the export timeout; null when export is off. */
    private final ScheduledExecutorService timeouts;

    TelemetryPipeline(TelemetrySettings s, String rack) {
        this(s, rack, true);
    }

    /**
     * @param instance the resource's {@code service.instance.id}: the rack's name, or the Mixer's
     * @param isRack whether the resource also says {@code fluxrig.rack} = {@code instance}
     */
    TelemetryPipeline(TelemetrySettings s, String instance, boolean isRack) {
        this.settings = s;
        Attributes who = isRack ? Attributes.of(AttributeKey.stringKey("service.name"), s.serviceName(),
                AttributeKey.stringKey("service.instance.id"), instance, AttributeKey.stringKey("fluxrig.rack"), instance)
                : Attributes.of(AttributeKey.stringKey("service.name"), s.serviceName(),
                        AttributeKey.stringKey("service.instance.id"), instance);
        Resource resource = Resource.getDefault().merge(Resource.create(who));
        timeouts = s.enabled() ? timeoutScheduler() : null;
        ComponentLoader senders = s.enabled() ? senders(timeouts) : null;
        SdkMeterProviderBuilder mb = SdkMeterProvider.builder().setResource(resource).registerMetricReader(counters)
                .setExemplarFilter(exemplarFilter(s.exemplars()));
        prometheus = s.metrics() ? PrometheusMetricReader.create() : null;
        if (prometheus != null) {
            mb.registerMetricReader(prometheus);
        }
        if (s.enabled() && s.metrics()) {
            var metricsOut = OtlpHttpMetricExporter.builder()
                    .setEndpoint(s.metricsEndpoint())
                    .setTimeout(Duration.ofMillis(s.exportTimeoutMs()))
                    .setComponentLoader(senders)
                    .setRetryPolicy(null);
            s.headers().forEach(metricsOut::addHeader);
            mb.registerMetricReader(PeriodicMetricReader.builder(metricsOut.build())
                    .setInterval(Duration.ofMillis(s.metricsIntervalMs())).build());
        }
        meters = mb.build();
        if (s.metrics()) {
            JvmMetrics.register(meters.get(JvmMetrics.SCOPE));
        }
        sdk = s.enabled() ? OpenTelemetrySdk.builder().setTracerProvider(tracing(s, resource, meters, senders)).setMeterProvider(meters)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build() : null;
    }

    /** @return the SDK's filter of that OpenTelemetry name ({@link TelemetrySettings#EXEMPLAR_FILTERS}) */
    static ExemplarFilter exemplarFilter(String name) {
        return switch (name) {
            case "always_on" -> ExemplarFilter.alwaysOn();
            case "trace_based" -> ExemplarFilter.traceBased();
            default -> ExemplarFilter.alwaysOff();
        };
    }

    /** @return a single daemon thread's scheduler; a cancelled cut leaves its queue at once */
    private static ScheduledExecutorService timeoutScheduler() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = Executors.defaultThreadFactory().newThread(r);
            thread.setName("fluxrig-otlp-timeouts");
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    /**
     * @return what the OTLP exporters look their HTTP sender up in: {@link OtlpHttpSender} only,
     *     handed over directly instead of found by ServiceLoader, so no sender bundle and no class
     *     loader's view of one matter
     */
    static ComponentLoader senders(ScheduledExecutorService timeouts) {
        HttpSenderProvider provider = config -> new OtlpHttpSender(config, timeouts);
        return new ComponentLoader() {
            @Override
            public <T> Iterable<T> load(Class<T> type) {
                return type == HttpSenderProvider.class ? List.of(type.cast(provider)) : List.of();
            }
        };
    }

    private static SdkTracerProvider tracing(TelemetrySettings s, Resource resource, SdkMeterProvider selfMetrics,
            ComponentLoader senders) {
        OtlpHttpSpanExporterBuilder exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(s.tracesEndpoint())
                .setTimeout(Duration.ofMillis(s.exportTimeoutMs()))
                .setConnectTimeout(Duration.ofMillis(Math.min(s.exportTimeoutMs(), 5_000)))
                .setComponentLoader(senders)
                .setRetryPolicy(null)
                .setMeterProvider(() -> selfMetrics)
                .setInternalTelemetryVersion(InternalTelemetryVersion.LATEST);
        s.headers().forEach(exporter::addHeader);
        boolean keepErrors = keepsErrors(s);
        BatchSpanProcessor batches = BatchSpanProcessor.builder(exporter.build())
                .setExportUnsampledSpans(keepErrors)
                .setMaxQueueSize(s.queueSize())
                .setMaxExportBatchSize(s.batchSize())
                .setScheduleDelay(s.exportDelayMs(), TimeUnit.MILLISECONDS)
                .setExporterTimeout(Duration.ofMillis(s.exportTimeoutMs()))
                .setMeterProvider(() -> selfMetrics)
                .setInternalTelemetryVersion(InternalTelemetryVersion.LATEST)
                .build();
        if (!keepErrors) {
            return SdkTracerProvider.builder().setResource(resource)
                    .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(s.ratio())))
                    .addSpanProcessor(batches).build();
        }
        return SdkTracerProvider.builder().setResource(resource).setSampler(KeepErrorsSampling.sampler(s.ratio()))
                .addSpanProcessor(new KeepErrorsSampling.Processor(batches, s.routineCodes())).build();
    }

    /** @return whether unsampled spans that failed or declined unusually are exported */
    static boolean keepsErrors(TelemetrySettings s) {
        return s.keepErrors() && s.ratio() < 1;
    }

    /**
     * @return the properties the {@code OpenTelemetry} service is registered with: how it samples,
     *     so instrumented bundles make no span for an unsampled call unless it must be kept, and
     *     whether a gear call is a span or an event ({@link io.fluxrig.telemetry.MessageSpans})
     */
    Map<String, Object> serviceProperties() {
        return Map.of(MessageSpans.KEEP_ERRORS, keepsErrors(settings),
                MessageSpans.ROUTINE_CODES, settings.routineCodes().toArray(String[]::new),
                MessageSpans.GEAR_CALLS, settings.gearCalls(),
                "fluxrig.telemetry.endpoint", settings.tracesEndpoint());
    }

    @Override
    public void close() {
        CompletableResultCode done = CompletableResultCode.ofAll(List.of(
                sdk != null ? sdk.getSdkTracerProvider().shutdown() : CompletableResultCode.ofSuccess(),
                meters.shutdown()));
        done.join(settings.exportTimeoutMs(), TimeUnit.MILLISECONDS);
        if (timeouts != null) {
            timeouts.shutdownNow();
        }
    }
}
