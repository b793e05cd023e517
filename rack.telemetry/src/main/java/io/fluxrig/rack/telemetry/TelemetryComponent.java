package io.fluxrig.rack.telemetry;

import io.fluxrig.telemetry.TelemetryStatus;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.exporter.sender.jdk.internal.JdkHttpSender;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.InternalTelemetryVersion;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the rack's OpenTelemetry SDK: builds it from {@link TelemetrySettings} (configuration
 * {@value #PID} over {@code OTEL_*} variables) and, while tracing is enabled, registers it as
 * the {@code io.opentelemetry.api.OpenTelemetry} service; always provides {@link TelemetryStatus}.
 * {@code GlobalOpenTelemetry} is never set: it can be set once per JVM and would outlive a
 * restart of this bundle.
 *
 * <p><b>Export never blocks processing.</b> Ended spans go to a {@link BatchSpanProcessor}: a
 * bounded queue ({@code queue.size}) drained by the SDK's own daemon thread, which sends batches
 * over OTLP/HTTP protobuf with the JDK HTTP client. A full queue drops the span at once and a
 * failed or timed-out batch is dropped; both are counted (the SDK's own counters, read by
 * {@link SdkCounters}). No retry: a collector that is down costs at most the queue's memory.
 *
 * <p>Lifecycle: a configuration change deactivates and reactivates the component, which rebuilds
 * the SDK; activation does no I/O (the exporter connects on its first batch); deactivation
 * unregisters the service first, then flushes what is queued for at most the export timeout.
 */
@Component(service = TelemetryStatus.class, configurationPid = TelemetryComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = TelemetryConfig.class)
public final class TelemetryComponent implements TelemetryStatus {
    /** The configuration PID. */
    public static final String PID = "fluxrig.telemetry";
    /** Instrumentation scope names instrumented bundles use; here for the README's sake. */
    static final String RACK_PROPERTY = "fluxrig.rack.name";
    private static final Logger LOG = LoggerFactory.getLogger(TelemetryComponent.class);

    private final TelemetrySettings settings;
    private final OpenTelemetrySdk sdk;
    private final SdkCounters counters = new SdkCounters();
    private final ServiceRegistration<OpenTelemetry> registration;

    /**
     * @param context this bundle's context (rack name, service registration)
     * @param props the configuration (possibly none)
     * @throws IllegalArgumentException naming the attribute or variable when a value is invalid
     */
    @Activate
    public TelemetryComponent(BundleContext context, Map<String, Object> props) {
        this.settings = TelemetrySettings.from(props, System.getenv());
        String rack = context.getProperty(RACK_PROPERTY) == null ? "rack" : context.getProperty(RACK_PROPERTY);
        if (!settings.enabled()) {
            sdk = null;
            registration = null;
            LOG.info("telemetry: tracing off (configuration {} or OTEL_EXPORTER_OTLP_ENDPOINT turns it on)", PID);
            return;
        }
        sdk = build(settings, rack, counters);
        Hashtable<String, Object> sp = new Hashtable<>();
        sp.put("fluxrig.telemetry.endpoint", settings.tracesEndpoint());
        registration = context.registerService(OpenTelemetry.class, sdk, sp);
        LOG.info("telemetry: tracing {}", settings);
    }

    /** Builds the SDK; package-private for the unit tests, which run it without a framework. */
    static OpenTelemetrySdk build(TelemetrySettings s, String rack, SdkCounters counters) {
        Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(
                AttributeKey.stringKey("service.name"), s.serviceName(),
                AttributeKey.stringKey("service.instance.id"), rack,
                AttributeKey.stringKey("fluxrig.rack"), rack)));
        // The SDK's own counters (queue drops, export failures) feed this provider only.
        SdkMeterProvider selfMetrics = SdkMeterProvider.builder().registerMetricReader(counters).build();
        OtlpHttpSpanExporterBuilder exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(s.tracesEndpoint())
                .setTimeout(Duration.ofMillis(s.exportTimeoutMs()))
                .setConnectTimeout(Duration.ofMillis(Math.min(s.exportTimeoutMs(), 5_000)))
                // The sender is found with ServiceLoader: look in the JDK sender's bundle, not the
                // thread context class loader (which, in a framework, sees neither).
                .setServiceClassLoader(JdkHttpSender.class.getClassLoader())
                .setRetryPolicy(null)
                .setMeterProvider(() -> selfMetrics)
                .setInternalTelemetryVersion(InternalTelemetryVersion.LATEST);
        s.headers().forEach(exporter::addHeader);
        BatchSpanProcessor batches = BatchSpanProcessor.builder(exporter.build())
                .setMaxQueueSize(s.queueSize())
                .setMaxExportBatchSize(Math.min(512, s.queueSize()))
                .setScheduleDelay(200, TimeUnit.MILLISECONDS)
                .setExporterTimeout(Duration.ofMillis(s.exportTimeoutMs()))
                .setMeterProvider(() -> selfMetrics)
                .setInternalTelemetryVersion(InternalTelemetryVersion.LATEST)
                .build();
        SdkTracerProvider tracing = SdkTracerProvider.builder().setResource(resource)
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(s.ratio())))
                .addSpanProcessor(batches).build();
        return OpenTelemetrySdk.builder().setTracerProvider(tracing).setMeterProvider(selfMetrics)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
    }

    @Override
    public boolean tracing() {
        return sdk != null;
    }

    @Override
    public String endpoint() {
        return sdk == null ? null : settings.tracesEndpoint();
    }

    @Override
    public long spansExported() {
        return sdk == null ? 0 : counters.totals().exported();
    }

    @Override
    public long spansDropped() {
        return sdk == null ? 0 : counters.totals().dropped();
    }

    @Override
    public String describe() {
        if (sdk == null) {
            return "tracing off";
        }
        SdkCounters.Totals t = counters.totals();
        return "tracing " + settings + "; spans exported " + t.exported() + ", dropped " + t.dropped();
    }

    /** Unregisters the service, then flushes and stops the SDK (bounded by the export timeout). */
    @Deactivate
    void deactivate() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework is stopping
            }
        }
        if (sdk != null) {
            sdk.shutdown().join(settings.exportTimeoutMs(), TimeUnit.MILLISECONDS);
        }
    }
}
