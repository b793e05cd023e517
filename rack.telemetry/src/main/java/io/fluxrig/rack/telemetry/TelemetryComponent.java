package io.fluxrig.rack.telemetry;

import io.fluxrig.telemetry.FailedMessages;
import io.fluxrig.telemetry.TelemetryStatus;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.MeterProvider;
import jakarta.servlet.Servlet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the rack's OpenTelemetry SDK ({@link TelemetryPipeline}), built from
 * {@link TelemetrySettings} (configuration {@value #PID} over {@code OTEL_*} variables), and
 * publishes what it makes: always {@link TelemetryStatus}; while metrics are on the
 * {@code io.opentelemetry.api.metrics.MeterProvider} the rack's bundles record into and the
 * Prometheus endpoint ({@link MetricsServlet}, HTTP whiteboard {@value #METRICS_PATH}) and, in a
 * rack, what the live Web Console page shows ({@link LiveSources}, which {@link LiveConsolePlugin}
 * takes); while
 * export is enabled the {@code io.opentelemetry.api.OpenTelemetry} service instrumented bundles
 * trace with. {@code GlobalOpenTelemetry} is never set: it can be set once per JVM and would
 * outlive a restart of this bundle.
 *
 * <p><b>Export never blocks processing.</b> Ended spans go to a {@code BatchSpanProcessor}: a
 * bounded queue ({@code queue.size}) drained by the SDK's own daemon thread, which sends batches
 * over OTLP/HTTP protobuf itself ({@link OtlpHttpSender}), each request bounded by the export timeout. A full queue drops the span at once and a
 * failed or timed-out batch is dropped; both are counted (the SDK's own counters, read by
 * {@link SdkCounters}). No retry: a collector that is down costs at most the queue's memory.
 *
 * <p>Lifecycle: a configuration change deactivates and reactivates the component, which rebuilds
 * the SDK. Activation reads (or creates) the small local token file and does no network I/O;
 * deactivation unregisters the services first, then flushes what is queued for at most the
 * export timeout.
 */
@Component(service = TelemetryStatus.class, configurationPid = TelemetryComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = TelemetryConfig.class)
public final class TelemetryComponent implements TelemetryStatus {
    /** The configuration PID. */
    public static final String PID = "fluxrig.telemetry";
    /** Where the Prometheus text is served on the rack's HTTP server. */
    public static final String METRICS_PATH = "/metrics";
    static final String RACK_PROPERTY = "fluxrig.rack.name";
    /** The rack's own configuration: its {@code name} is the resource's rack (no key shared with ours). */
    static final String RACK_PID = "io.fluxrig.rack";
    static final String DATA_PROPERTY = "fluxrig.rack.data";
    /**
     * Framework property naming what this framework is: {@value #MIXER} in the Mixer
     * ({@code run/mixer.bndrun}; resource {@code service.name} defaults to {@code fluxrig-mixer},
     * {@code service.instance.id} is {@code mixer}, no live page); absent in a rack. The Mixer sets
     * no {@code fluxrig.rack.data}, so its token file is {@code metrics.token} in its working
     * directory, the Mixer's folder.
     */
    static final String HOST_PROPERTY = "fluxrig.telemetry.host";
    static final String MIXER = "mixer";
    private static final Logger LOG = LoggerFactory.getLogger(TelemetryComponent.class);

    private final TelemetryPipeline pipeline;
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    /**
     * @param context this bundle's context (rack name and data folder, service registrations)
     * @param props the configuration (possibly none)
     * @throws IllegalArgumentException naming the attribute or variable when a value is invalid
     * @throws IOException when the metrics token file cannot be read or created
     */
    @Activate
    public TelemetryComponent(BundleContext context, Map<String, Object> props, @Reference ConfigurationAdmin cm)
            throws IOException {
        boolean mixer = MIXER.equals(context.getProperty(HOST_PROPERTY));
        TelemetrySettings settings = TelemetrySettings.from(props, System.getenv(), mixer ? "fluxrig-mixer" : "fluxrig-rack");
        Object configured = mixer ? null : rackName(cm);
        String rack = mixer ? MIXER : configured != null && !configured.toString().isBlank() ? configured.toString()
                : context.getProperty(RACK_PROPERTY) != null ? context.getProperty(RACK_PROPERTY) : "rack";
        this.pipeline = new TelemetryPipeline(settings, rack, !mixer);
        try {
            if (settings.metrics()) {
                Path tokenFile = tokenFile(settings, context.getProperty(DATA_PROPERTY));
                Hashtable<String, Object> sp = new Hashtable<>();
                sp.put("osgi.http.whiteboard.servlet.pattern", METRICS_PATH);
                sp.put("osgi.http.whiteboard.servlet.name", "fluxrig-metrics");
                registrations.add(context.registerService(Servlet.class,
                        new MetricsServlet(pipeline.prometheus, token(tokenFile)), sp));
                registrations.add(context.registerService(MeterProvider.class, pipeline.meters, new Hashtable<>()));
                if (!mixer) { // the live page shows gears and wires, which a Mixer has not
                    FailedMessageLog failed = new FailedMessageLog(FailedMessageLog.capacity(props), System::currentTimeMillis);
                    registrations.add(context.registerService(FailedMessages.class, failed, new Hashtable<>()));
                    registrations.add(context.registerService(LiveSources.class, new LiveSources(pipeline.prometheus, failed),
                            new Hashtable<>()));
                }
                LOG.info("telemetry: metrics at {} (bearer token in {})", METRICS_PATH, tokenFile);
            }
            if (pipeline.sdk != null) {
                registrations.add(context.registerService(OpenTelemetry.class, pipeline.sdk, new Hashtable<>(pipeline.serviceProperties())));
                LOG.info("telemetry: tracing {}", settings);
            } else {
                LOG.info("telemetry: tracing off (configuration {} or OTEL_EXPORTER_OTLP_ENDPOINT turns it on)", PID);
            }
        } catch (IOException | RuntimeException e) {
            deactivate();
            throw e;
        }
    }

    /** @return the rack's name from its own configuration ({@value #RACK_PID}), or null */
    private static Object rackName(ConfigurationAdmin cm) {
        try {
            Configuration[] c = cm.listConfigurations("(service.pid=" + RACK_PID + ")");
            return c == null || c.length == 0 || c[0].getProperties() == null ? null : c[0].getProperties().get("name");
        } catch (IOException | org.osgi.framework.InvalidSyntaxException e) {
            return null;
        }
    }

    private static Path tokenFile(TelemetrySettings s, String data) {
        if (s.tokenFile() != null) {
            return Path.of(s.tokenFile());
        }
        // Without fluxrig.rack.data the rack's data folder is its working directory (rack.runtime's rule:
        // the launcher starts every rack in its folder), so the token is <rack data>/metrics.token as documented.
        return Path.of(data != null ? data : "").resolve("metrics.token");
    }

    /** @return the token in {@code file}, first creating it (0600, 32 random bytes in hex) when missing */
    static String token(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] b = new byte[32];
            new SecureRandom().nextBytes(b);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, HexFormat.of().formatHex(b) + "\n");
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        String token = Files.readString(file).strip();
        if (token.length() < 16) {
            throw new IOException("metrics token file " + file + ": the token must be at least 16 characters");
        }
        return token;
    }

    @Override
    public boolean tracing() {
        return pipeline.sdk != null;
    }

    @Override
    public String endpoint() {
        return pipeline.sdk == null ? null : pipeline.settings.tracesEndpoint();
    }

    @Override
    public long spansExported() {
        return pipeline.counters.totals().exported();
    }

    @Override
    public long spansDropped() {
        return pipeline.counters.totals().dropped();
    }

    @Override
    public String describe() {
        if (pipeline.sdk == null) {
            return "tracing off" + (pipeline.settings.metrics() ? "; metrics at " + METRICS_PATH : "");
        }
        SdkCounters.Totals t = pipeline.counters.totals();
        return "tracing " + pipeline.settings + "; spans exported " + t.exported() + ", dropped " + t.dropped();
    }

    /** Unregisters the services, then flushes and stops the SDK (bounded by the export timeout). */
    @Deactivate
    void deactivate() {
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework is stopping
            }
        }
        registrations.clear();
        pipeline.close();
    }
}
