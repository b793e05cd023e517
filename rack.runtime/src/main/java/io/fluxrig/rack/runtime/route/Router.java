package io.fluxrig.rack.runtime.route;

import io.fluxrig.gear.BackPressureException;
import io.fluxrig.gear.Gear;
import io.fluxrig.gear.GearRejection;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.Hop;
import io.fluxrig.rack.runtime.patch.GearSpec;
import io.fluxrig.rack.runtime.patch.Link;
import io.fluxrig.rack.runtime.patch.Patch;
import io.fluxrig.wire.WireTransport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rack's message router: inlets per gear instance of the applied patch, the link topology,
 * wire outlets/inlets, and which gear service is bound to which inlet. Plain Java (the
 * {@link GearBinder} component feeds it from OSGi), so it is unit-tested directly.
 *
 * <p><b>Threading.</b> The hot path ({@link #emit}, {@link #invoke}) takes no lock: it reads the
 * volatile immutable {@link Topology} and the inlets' volatile bindings. Structural changes
 * (patch, gear bind/unbind, transport) are serialised on {@code this}; waiting for in-flight
 * calls and closing gears happens outside that lock. The router owns a cached pool (drain and
 * publish tasks, at most one per inlet/outlet) and one scheduler thread (retry delays and wire
 * subscribe calls, which may block on the network); {@link #close} stops both.
 */
public final class Router {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    private record GearEntry(Gear gear, String bundle) {
    }

    private record InletTarget(Inlet inlet, String port) implements Target {
        @Override
        public void accept(FluxMsg msg) {
            inlet.deliver(port, msg);
        }
    }

    private final String rack;
    private final int capacity;
    private final long backPressureMillis;
    private final long closeWaitMillis;
    private final ExecutorService executor;
    private final ScheduledExecutorService delays;
    private volatile Topology topology = Topology.EMPTY;
    private final Map<String, Inlet> inlets = new LinkedHashMap<>();
    private final Map<String, String> types = new HashMap<>();
    private final Map<String, List<GearEntry>> available = new HashMap<>();
    private final Map<String, WireOutlet> outlets = new HashMap<>();
    private final Map<String, WireInlet> wireInlets = new HashMap<>();
    private WireTransport transport;
    private boolean closed;
    /** The wire delivery whose chain runs on this thread (see {@link DeliveryScope}); per router. */
    private final ThreadLocal<DeliveryScope> wireDelivery = new ThreadLocal<>();

    /**
     * @param rack the rack name (hops, wire consumer names)
     * @param capacity per inlet/outlet buffer capacity
     * @param backPressureMillis how long an emit waits for buffer space before it throws
     * @param closeWaitMillis how long an unbind waits for in-flight calls before closing anyway
     */
    public Router(String rack, int capacity, long backPressureMillis, long closeWaitMillis) {
        this.rack = rack;
        this.capacity = capacity;
        this.backPressureMillis = backPressureMillis;
        this.closeWaitMillis = closeWaitMillis;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> daemon(r, "fluxrig-rack-" + rack + "-worker-" + n.incrementAndGet()));
        this.delays = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "fluxrig-rack-" + rack + "-timer"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    String rack() {
        return rack;
    }

    /** Marks the current thread as running the chain of a wire delivery; returns the outer one. */
    DeliveryScope enterWireDelivery(DeliveryScope scope) {
        DeliveryScope outer = wireDelivery.get();
        wireDelivery.set(scope);
        return outer;
    }

    /** Ends what {@link #enterWireDelivery} started, restoring the outer scope (usually none). */
    void leaveWireDelivery(DeliveryScope outer) {
        if (outer == null) {
            wireDelivery.remove();
        } else {
            wireDelivery.set(outer);
        }
    }

    /** @return the wire delivery whose chain runs on this thread, or null (slow paths only) */
    DeliveryScope wireDelivery() {
        return wireDelivery.get();
    }

    /** Routes one emitted message to every link target of (instance, port): the hot path. */
    void emit(String instance, GearStats stats, String port, FluxMsg msg) {
        Target[] targets = topology.targets(instance, port);
        if (targets.length == 0) {
            stats.unrouted.increment();
            return;
        }
        stats.out.increment();
        deliverAll(hop(instance, msg), targets);
    }

    private FluxMsg hop(String instance, FluxMsg msg) {
        if (msg.src() == null) {
            return msg.toBuilder().src(instance).hop(new Hop(rack, instance, FluxMsg.nowNanos())).build();
        }
        return msg.withHop(rack, instance, FluxMsg.nowNanos());
    }

    /** Every target gets its chance; the first back-pressure failure is re-thrown at the end. */
    private static void deliverAll(FluxMsg msg, Target[] targets) {
        if (targets.length == 1) {
            targets[0].accept(msg);
            return;
        }
        BackPressureException first = null;
        for (Target t : targets) {
            try {
                t.accept(msg);
            } catch (BackPressureException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Calls the gear; rejections and failures go to its error port, never to the caller. */
    void invoke(Inlet inlet, Binding b, String port, FluxMsg msg) {
        inlet.stats.in.increment();
        try {
            b.gear.onMessage(port, msg, b.context);
        } catch (BackPressureException e) {
            throw e;
        } catch (GearRejection e) {
            fail(inlet, msg, e.getMessage(), null);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            fail(inlet, msg, e.getClass().getName() + ": " + e.getMessage(), e);
        }
    }

    private void fail(Inlet inlet, FluxMsg msg, String reason, Throwable unexpected) {
        inlet.stats.errors.increment();
        String why = reason == null ? "no reason given" : reason;
        Target[] targets = topology.targets(inlet.name, Gear.PORT_ERROR);
        if (targets.length > 0) {
            FluxMsg failed = msg.toBuilder().meta(Gear.META_ERROR, why).meta(Gear.META_ERROR_GEAR, inlet.name).build();
            deliverAll(hop(inlet.name, failed), targets);
            return;
        }
        long held = inlet.errorLog.tryAcquire();
        if (held >= 0) {
            String more = held > 0 ? " (" + held + " more since the last report)" : "";
            if (unexpected != null) {
                LOG.warn("gear {}: message {} failed, no error link: {}{}", inlet.name, msg.id(), why, more, unexpected);
            } else {
                LOG.warn("gear {}: message {} rejected, no error link: {}{}", inlet.name, msg.id(), why, more);
            }
        }
    }

    /**
     * Makes {@code next} the running topology: inlets for new instances (messages to them wait until
     * their gear binds), closes the bindings of removed ones, and rebuilds links and wires.
     */
    public void applyPatch(Patch next) {
        Map<String, Binding> toClose = new LinkedHashMap<>();
        List<WireInlet> toDisconnect = new ArrayList<>();
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
                    warnDiscarded("gear " + name, gone.discard());
                }
            }
            types.clear();
            for (GearSpec g : next.gears().values()) {
                types.put(g.name(), g.type());
                if (!inlets.containsKey(g.name())) {
                    inlets.put(g.name(), new Inlet(g.name(), this, capacity, backPressureMillis, executor, delays));
                    bindWaiting(g.name());
                }
            }
            Map<String, WireInlet> desiredIn = new HashMap<>();
            Topology.Builder routes = new Topology.Builder();
            for (Link l : next.links()) {
                if (l.from().isWire()) {
                    String key = l.from().wire() + " " + l.to().gear() + " " + l.to().port();
                    WireInlet w = wireInlets.get(key);
                    desiredIn.put(key, w != null ? w
                            : new WireInlet(this, l.from().wire(), inlets.get(l.to().gear()), l.to().port(), delays));
                    continue;
                }
                Target t = l.to().isWire() ? outlets.computeIfAbsent(l.to().wire(), this::newOutlet)
                        : new InletTarget(inlets.get(l.to().gear()), l.to().port());
                routes.add(l.from().gear(), l.from().port(), t);
            }
            outlets.entrySet().removeIf(e -> {
                boolean unused = next.links().stream().noneMatch(l -> l.to().isWire() && l.to().wire().equals(e.getKey()));
                if (unused) {
                    warnDiscarded("wire " + e.getKey(), e.getValue().discard());
                }
                return unused;
            });
            wireInlets.forEach((key, w) -> {
                if (desiredIn.get(key) != w) {
                    toDisconnect.add(w);
                }
            });
            desiredIn.forEach((key, w) -> {
                if (wireInlets.get(key) != w && transport != null) {
                    delays.execute(() -> w.connect(currentTransport()));
                }
            });
            wireInlets.clear();
            wireInlets.putAll(desiredIn);
            topology = routes.build();
        }
        toClose.forEach((name, b) -> b.close(name, closeWaitMillis));
        toDisconnect.forEach(WireInlet::close);
    }

    private WireOutlet newOutlet(String wire) {
        WireOutlet o = new WireOutlet(wire, this, capacity, backPressureMillis, executor, delays);
        o.transport(transport);
        return o;
    }

    private static void warnDiscarded(String what, int n) {
        if (n > 0) {
            LOG.warn("{} is gone (left the patch or the rack stopped): {} waiting message(s) discarded", what, n);
        }
    }

    private synchronized WireTransport currentTransport() {
        return transport;
    }

    /** Binds the first available gear service of {@code name} to its inlet, if any. Lock held. */
    private void bindWaiting(String name) {
        Inlet inlet = inlets.get(name);
        List<GearEntry> entries = available.get(name);
        if (inlet == null || inlet.bound() != null || entries == null || entries.isEmpty()) {
            return;
        }
        GearEntry e = entries.get(0);
        Binding b = new Binding(e.gear(), new RackGearContext(this, name, inlet.stats), e.bundle());
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

    /** Sets (or clears, with null) the wire transport: outlets publish, inlets re-subscribe. */
    public synchronized void transport(WireTransport t) {
        transport = t;
        outlets.values().forEach(o -> o.transport(t));
        wireInlets.values().forEach(w -> delays.execute(() -> w.connect(currentTransport())));
    }

    /** @return one row per instance of the applied patch, in patch order */
    public synchronized List<GearRow> rows() {
        List<GearRow> rows = new ArrayList<>();
        inlets.forEach((name, in) -> {
            Binding b = in.bound();
            String state = b != null ? "bound" : in.failure != null ? in.failure : "waiting";
            rows.add(new GearRow(name, types.get(name), b == null ? "-" : b.bundle, state, in.stats.in.sum(),
                    in.stats.out.sum(), in.stats.errors.sum(), in.buffered(), in.stats.unrouted.sum()));
        });
        return rows;
    }

    /** Closes every binding (waiting for in-flight calls), unsubscribes wires, stops the threads. */
    public void close() {
        Map<String, Binding> toClose = new LinkedHashMap<>();
        List<WireInlet> subs;
        synchronized (this) {
            closed = true;
            topology = Topology.EMPTY;
            inlets.forEach((name, in) -> {
                Binding b = in.detach();
                if (b != null) {
                    toClose.put(name, b);
                }
                warnDiscarded("gear " + name, in.discard());
            });
            outlets.forEach((wire, o) -> warnDiscarded("wire " + wire, o.discard()));
            subs = new ArrayList<>(wireInlets.values());
            inlets.clear();
            outlets.clear();
            wireInlets.clear();
        }
        toClose.forEach((name, b) -> b.close(name, closeWaitMillis));
        subs.forEach(WireInlet::close);
        executor.shutdownNow();
        delays.shutdownNow();
    }
}
