package io.fluxrig.rack.runtime.route;

import io.fluxrig.gear.Gear;
import io.fluxrig.rack.runtime.deploy.GearOrigins;
import io.fluxrig.rack.runtime.patch.GearSpec;
import io.fluxrig.rack.runtime.patch.Link;
import io.fluxrig.rack.runtime.patch.Patch;
import io.fluxrig.wire.WireTransport;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.MeterProvider;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rack's message router: inlets per gear instance of the applied patch, the link topology,
 * the wire links ({@link WireLinks}), and which gear service is bound to which inlet. The hot
 * path (emit, gear calls, error routing) is the {@link Dispatcher}'s. Plain Java (the
 * {@link GearBinder} component feeds it from OSGi), so it is unit-tested directly.
 *
 * <p><b>Threading.</b> Structural changes (patch, gear bind/unbind, transport) are serialised on
 * {@code this}; waiting for in-flight calls and closing gears happens outside that lock. The
 * router owns a cached pool (drain and publish tasks, at most one per inlet/outlet) and one
 * scheduler thread (retry delays, deferral timeouts, and wire subscribe calls, which may block on
 * the network); {@link #close} stops both.
 */
public final class Router {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);
    /**
     * Default bound of a deferred wire delivery ({@code fluxrig.rack.defer.timeout.ms}): below the
     * jetstream transport's default ack wait (30 s), so the rack naks before the broker would
     * redeliver on its own while the first attempt may still answer.
     */
    public static final long DEFER_TIMEOUT_MS = io.fluxrig.rack.runtime.RackSettings.DEFER_TIMEOUT_DEFAULT;

    private record GearEntry(Gear gear, String bundle) {
    }

    private record InletTarget(Inlet inlet, String port) implements Target {
        @Override
        public void accept(io.fluxrig.msg.FluxMsg msg) {
            inlet.deliver(port, msg);
        }
    }

    private final int capacity;
    private final long backPressureMillis;
    private final long closeWaitMillis;
    private final ExecutorService executor;
    private final ScheduledThreadPoolExecutor delays;
    private final Dispatcher dispatcher;
    private final WireLinks wires;
    private final Map<String, Inlet> inlets = new LinkedHashMap<>();
    private final Map<String, String> types = new HashMap<>();
    private final Map<String, List<GearEntry>> available = new HashMap<>();
    private boolean closed;
    private GearMetrics metrics;
    /** Where deployed bundles and patches came from, for the spans; null: not known. */
    private volatile GearOrigins origins;

    /**
     * @param rack the rack name (hops, wire consumer names)
     * @param capacity per inlet/outlet buffer capacity
     * @param backPressureMillis how long an emit waits for buffer space before it throws
     * @param closeWaitMillis how long an unbind waits for in-flight calls before closing anyway
     */
    public Router(String rack, int capacity, long backPressureMillis, long closeWaitMillis) {
        this(rack, capacity, backPressureMillis, closeWaitMillis, DEFER_TIMEOUT_MS);
    }

    /**
     * @param rack the rack name (hops, wire consumer names)
     * @param capacity per inlet/outlet buffer capacity
     * @param backPressureMillis how long an emit waits for buffer space before it throws
     * @param closeWaitMillis how long an unbind waits for in-flight calls before closing anyway
     * @param deferTimeoutMillis how long a deferred wire delivery may stay open before it is naked
     */
    public Router(String rack, int capacity, long backPressureMillis, long closeWaitMillis, long deferTimeoutMillis) {
        this.capacity = capacity;
        this.backPressureMillis = backPressureMillis;
        this.closeWaitMillis = closeWaitMillis;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> daemon(r, "fluxrig-rack-" + rack + "-worker-" + n.incrementAndGet()));
        this.delays = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "fluxrig-rack-" + rack + "-timer"));
        // Deferral timeouts are cancelled on the hot path: drop them from the queue at once.
        delays.setRemoveOnCancelPolicy(true);
        this.dispatcher = new Dispatcher(rack, deferTimeoutMillis, delays);
        this.wires = new WireLinks(dispatcher, capacity, backPressureMillis, executor, delays);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Makes {@code next} the running topology: inlets for new instances (messages to them wait until
     * their gear binds), closes the bindings of removed ones, and rebuilds links and wires.
     */
    public void applyPatch(Patch next) {
        Map<String, Binding> toClose = new LinkedHashMap<>();
        List<WireInlet> toDisconnect;
        synchronized (this) {
            if (closed) {
                return;
            }
            for (String name : new ArrayList<>(inlets.keySet())) {
                if (!next.gears().containsKey(name)) {
                    Inlet gone = inlets.remove(name);
                    Binding b = gone.detach();
                    if (b != null) {
                        toClose.put(name, b);
                    }
                    WireLinks.warnDiscarded("gear " + name, gone.discard());
                }
            }
            types.clear();
            for (GearSpec g : next.gears().values()) {
                types.put(g.name(), g.type());
                if (!inlets.containsKey(g.name())) {
                    inlets.put(g.name(), new Inlet(g.name(), dispatcher, capacity, backPressureMillis, executor, delays));
                    bindWaiting(g.name());
                }
            }
            Topology.Builder routes = new Topology.Builder();
            for (Link l : next.links()) {
                if (!l.from().isWire()) {
                    Target t = l.to().isWire() ? wires.target(l.to()) : new InletTarget(inlets.get(l.to().gear()), l.to().port());
                    routes.add(l.from().gear(), l.from().port(), t);
                }
            }
            toDisconnect = wires.apply(next, inlets);
            dispatcher.types(Map.copyOf(types));
            dispatcher.topology(routes.build());
        }
        toClose.forEach((name, b) -> b.close(name, closeWaitMillis));
        toDisconnect.forEach(WireInlet::close);
    }

    /** Binds the first available gear service of {@code name} to its inlet, if any. Lock held. */
    private void bindWaiting(String name) {
        Inlet inlet = inlets.get(name);
        List<GearEntry> entries = available.get(name);
        if (inlet == null || inlet.bound() != null || entries == null || entries.isEmpty()) {
            return;
        }
        GearEntry e = entries.get(0);
        Binding b = new Binding(e.gear(), new RackGearContext(dispatcher, inlet), e.bundle());
        try {
            e.gear().open(b.context);
        } catch (RuntimeException | LinkageError ex) {
            inlet.failure = "open failed: " + ex;
            LOG.error("gear {}: open failed; messages wait until it is replaced", name, ex);
            return;
        }
        inlet.attach(b);
    }

    /** A gear service for instance {@code name} appeared (from the DS binder). */
    public synchronized void offerGear(String name, Gear gear, String bundle) {
        if (closed) {
            return;
        }
        available.computeIfAbsent(name, k -> new ArrayList<>()).add(new GearEntry(gear, bundle));
        bindWaiting(name);
    }

    /**
     * A gear service went away: stops new calls to it, waits for in-flight calls, closes it, and
     * binds a remaining service of the same instance, if any. Returns after the gear is closed.
     */
    public void withdrawGear(String name, Gear gear) {
        Binding old = null;
        synchronized (this) {
            List<GearEntry> entries = available.get(name);
            if (entries != null) {
                entries.removeIf(e -> e.gear() == gear);
                if (entries.isEmpty()) {
                    available.remove(name);
                }
            }
            Inlet inlet = inlets.get(name);
            if (inlet != null && inlet.bound() != null && inlet.bound().gear == gear) {
                old = inlet.detach();
            } else if (inlet != null && inlet.bound() == null) {
                inlet.failure = null;
            }
        }
        if (old != null) {
            old.close(name, closeWaitMillis);
        }
        synchronized (this) {
            if (!closed) {
                bindWaiting(name);
            }
        }
    }

    /**
     * Starts (or stops, with null) tracing gear calls and source emits with {@code otel}; calls
     * already running finish as they started.
     */
    public void telemetry(OpenTelemetry otel) {
        telemetry(otel, java.util.Map.of());
    }

    /**
     * As {@link #telemetry(OpenTelemetry)}, with the OpenTelemetry service's properties: how the
     * rack samples ({@code MessageSpans.KEEP_ERRORS}), so a gear call whose trace is not sampled
     * makes no span unless it must be kept.
     */
    public void telemetry(OpenTelemetry otel, java.util.Map<String, ?> properties) {
        dispatcher.tracing(otel == null ? null : new GearTracing(otel, dispatcher.rack(), origins, properties));
    }

    /** Sets where deployed bundles and patches came from; spans started after the next {@link #telemetry} name them. */
    public void origins(GearOrigins o) {
        origins = o;
    }

    /** Tells (or stops telling, with null) {@code f} of every gear rejection and failure. */
    public void failures(io.fluxrig.telemetry.FailedMessages f) {
        dispatcher.failures(f);
    }

    /**
     * Starts (or stops, with null) the per gear instance metrics on {@code provider}.
     */
    public void metrics(MeterProvider provider) {
        GearMetrics next = provider == null ? null : new GearMetrics(provider, dispatcher, this::metricRows);
        GearMetrics old;
        synchronized (this) {
            old = metrics;
            metrics = next;
            dispatcher.metrics(next);
        }
        if (old != null) {
            old.close();
        }
    }

    private synchronized List<GearMetrics.Row> metricRows() {
        List<GearMetrics.Row> rows = new ArrayList<>(inlets.size());
        inlets.forEach((name, in) -> rows.add(new GearMetrics.Row(name, types.get(name), in.stats, in.buffered())));
        return rows;
    }

    /** Sets (or clears, with null) the wire transport: outlets publish, inlets re-subscribe. */
    public synchronized void transport(WireTransport t) {
        wires.transport(t);
    }

    /** @return one row per instance of the applied patch, in patch order */
    public synchronized List<GearRow> rows() {
        List<GearRow> rows = new ArrayList<>();
        long now = System.nanoTime();
        inlets.forEach((name, in) -> {
            LatencyWindow.Snapshot w = in.stats.latency.read(now);
            Binding b = in.bound();
            String state = b != null ? "bound" : in.failure != null ? in.failure : "waiting";
            rows.add(new GearRow(name, types.get(name), b == null ? "-" : b.bundle, state, in.stats.in.sum(),
                    in.stats.out.sum(), in.stats.errors.sum(), in.buffered(), in.stats.unrouted.sum(),
                    w == null ? null : new GearRow.Latency(w.calls(), w.p50Nanos() / 1e6, w.p99Nanos() / 1e6, w.windowMillis())));
        });
        return rows;
    }

    /** Closes every binding (waiting for in-flight calls), unsubscribes wires, stops the threads. */
    public void close() {
        Map<String, Binding> toClose = new LinkedHashMap<>();
        List<WireInlet> subs;
        synchronized (this) {
            closed = true;
            dispatcher.topology(Topology.EMPTY);
            inlets.forEach((name, in) -> {
                Binding b = in.detach();
                if (b != null) {
                    toClose.put(name, b);
                }
                WireLinks.warnDiscarded("gear " + name, in.discard());
            });
            subs = wires.close();
            inlets.clear();
        }
        toClose.forEach((name, b) -> b.close(name, closeWaitMillis));
        subs.forEach(WireInlet::close);
        metrics(null);
        executor.shutdownNow();
        delays.shutdownNow();
    }
}
