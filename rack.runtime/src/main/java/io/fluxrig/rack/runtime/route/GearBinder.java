package io.fluxrig.rack.runtime.route;

import io.fluxrig.gear.Gear;
import io.fluxrig.rack.runtime.RackConfiguration;
import io.fluxrig.rack.runtime.RackSettings;
import io.fluxrig.rack.runtime.deploy.GearOrigins;
import io.fluxrig.rack.runtime.patch.Patch;
import io.fluxrig.wire.WireTransport;
import io.fluxrig.telemetry.FailedMessages;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.MeterProvider;
import java.util.List;
import java.util.Map;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds gear services (the whiteboard of {@link Gear} services carrying
 * {@value Gear#INSTANCE}) and the optional {@link WireTransport} to the rack's {@link Router},
 * which it owns: created at activation, closed at deactivation.
 *
 * <p>Threading: DS calls the bind/unbind methods on whatever thread registers or unregisters the
 * service; the router serialises them. Binds arriving after deactivation are ignored
 * ({@code active} is volatile). An unbind returns only after in-flight calls on that gear have
 * finished and the gear was closed, so the gear's own deactivation comes after.
 */
@Component(service = GearBinder.class, immediate = true)
public final class GearBinder {
    private static final Logger LOG = LoggerFactory.getLogger(GearBinder.class);
    private static final long CLOSE_WAIT_MS = 30_000;

    private final Router router;
    private volatile boolean active;
    private WireTransport transport;
    private OpenTelemetry telemetry;
    private MeterProvider meters;
    private FailedMessages failures;

    /**
     * @param rack the rack's settings: name, buffer capacity, back-pressure wait, deferral timeout
     * @param origins where deployed bundles and patches came from (rollout, release), for the gears' spans
     */
    @Activate
    public GearBinder(@Reference RackConfiguration rack, @Reference GearOrigins origins) {
        RackSettings s = rack.settings();
        this.router = new Router(s.name(), s.bufferCapacity(), s.backPressureMillis(), CLOSE_WAIT_MS, s.deferTimeoutMillis());
        router.origins(origins);
        this.active = true;
    }

    @Reference(service = Gear.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(" + Gear.INSTANCE + "=*)")
    void bindGear(ServiceReference<Gear> ref, Gear gear) {
        if (!active) {
            return;
        }
        String instance = String.valueOf(ref.getProperty(Gear.INSTANCE));
        String bundle = ref.getBundle() == null ? "?" : ref.getBundle().getSymbolicName() + " " + ref.getBundle().getVersion();
        LOG.debug("gear {} appeared ({})", instance, bundle);
        router.offerGear(instance, gear, bundle);
    }

    void unbindGear(ServiceReference<Gear> ref, Gear gear) {
        router.withdrawGear(String.valueOf(ref.getProperty(Gear.INSTANCE)), gear);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindTransport(WireTransport t) {
        if (active) {
            transport = t;
            router.transport(t);
        }
    }

    synchronized void unbindTransport(WireTransport t) {
        if (transport == t) {
            transport = null;
            router.transport(null);
        }
    }

    /**
     * The rack's OpenTelemetry, registered by rack.telemetry only while tracing is enabled: without
     * it the router records no spans and pays one null check per call.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindTelemetry(OpenTelemetry otel, Map<String, Object> properties) {
        if (active) {
            telemetry = otel;
            router.telemetry(otel, properties);
        }
    }

    synchronized void unbindTelemetry(OpenTelemetry otel) {
        if (telemetry == otel) {
            telemetry = null;
            router.telemetry(null);
        }
    }

    /**
     * The rack's MeterProvider, registered by rack.telemetry while metrics are on: the router then
     * publishes its per gear instance counters and records call durations.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindMeters(MeterProvider provider) {
        if (active) {
            meters = provider;
            router.metrics(provider);
        }
    }

    synchronized void unbindMeters(MeterProvider provider) {
        if (meters == provider) {
            meters = null;
            router.metrics(null);
        }
    }

    /**
     * The rack's recent failures, registered by rack.telemetry with the live console page: the
     * router tells it each rejection and failure (its failure path only).
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindFailures(FailedMessages f) {
        if (active) {
            failures = f;
            router.failures(f);
        }
    }

    synchronized void unbindFailures(FailedMessages f) {
        if (failures == f) {
            failures = null;
            router.failures(null);
        }
    }

    /**
     * @return the wire transport's state for operators: null when no transport is bound, else
     *     whether it is connected (false: degraded, the broker is unreachable) and its own line
     */
    public synchronized WireStatus wireStatus() {
        WireTransport t = transport;
        return t == null ? null : new WireStatus(t.connected(), t.describe());
    }

    /** @param next the patch to route from now on (called by the patch manager) */
    public void applyPatch(Patch next) {
        router.applyPatch(next);
    }

    /** @return one row per gear instance of the applied patch */
    public List<GearRow> rows() {
        return router.rows();
    }

    @Deactivate
    void deactivate() {
        active = false;
        router.close();
    }
}
