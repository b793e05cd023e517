package io.fluxrig.rack.runtime.route;

import io.fluxrig.rack.runtime.patch.Endpoint;
import io.fluxrig.rack.runtime.patch.Link;
import io.fluxrig.rack.runtime.patch.Patch;
import io.fluxrig.rack.runtime.patch.WireTemplate;
import io.fluxrig.wire.WireTransport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rack's links to and from wires: one {@link WireOutlet} per outgoing wire name, one
 * {@link TemplateWireTarget} per outgoing wire template, one {@link WireInlet} per
 * (consumer owner, wire, gear, port) read. Kept across patches, so an unchanged wire link keeps its buffer and
 * its subscription; {@link #apply} reconciles them with a new patch.
 *
 * <p>Threading: every method is called with the {@link Router}'s lock held. Subscribing may block
 * on the network, so it is handed to the rack's scheduler thread.
 */
final class WireLinks {
    private static final Logger LOG = LoggerFactory.getLogger(WireLinks.class);
    /** Wires with a cached outlet per template target (reply wires of as many racks). */
    static final int MAX_TEMPLATE_WIRES = 256;

    private final Dispatcher dispatcher;
    private final int capacity;
    private final long backPressureMillis;
    private final Executor executor;
    private final ScheduledExecutorService delays;
    private final Map<String, WireOutlet> outlets = new HashMap<>();
    private final Map<String, TemplateWireTarget> templates = new HashMap<>();
    private final Map<String, WireInlet> inlets = new HashMap<>();
    private WireTransport transport;

    WireLinks(Dispatcher dispatcher, int capacity, long backPressureMillis, Executor executor,
            ScheduledExecutorService delays) {
        this.dispatcher = dispatcher;
        this.capacity = capacity;
        this.backPressureMillis = backPressureMillis;
        this.executor = executor;
        this.delays = delays;
    }

    /** @return the target of a link to a wire (created once, then reused across patches) */
    Target target(Endpoint to) {
        if (to.isTemplate()) {
            return templates.computeIfAbsent(to.wire(), w -> {
                TemplateWireTarget t = new TemplateWireTarget(WireTemplate.parse(w), dispatcher, this::newOutlet,
                        MAX_TEMPLATE_WIRES);
                t.transport(transport);
                return t;
            });
        }
        return outlets.computeIfAbsent(to.wire(), this::newOutlet);
    }

    private WireOutlet newOutlet(String wire) {
        WireOutlet o = new WireOutlet(wire, dispatcher, capacity, backPressureMillis, executor, delays);
        o.transport(transport);
        return o;
    }

    /**
     * Keeps the wire links of {@code next} (targets must have been taken with {@link #target}),
     * drops the others (their waiting messages are discarded, with a warning) and subscribes new
     * incoming links.
     *
     * @param next the patch being applied
     * @param gears the gear inlets of {@code next}, by instance
     * @return the incoming links that left the patch; the caller closes them outside its lock
     */
    List<WireInlet> apply(Patch next, Map<String, Inlet> gears) {
        Map<String, WireInlet> desired = new HashMap<>();
        String owner = next.consumerOwner(dispatcher.rack());
        for (Link l : next.links()) {
            if (l.from().isWire()) {
                // The owner is part of the key: joining or leaving a group is a new consumer.
                String key = owner + " " + l.from().wire() + " " + l.to().gear() + " " + l.to().port();
                WireInlet w = inlets.get(key);
                desired.put(key, w != null ? w
                        : new WireInlet(dispatcher, owner, l.from().wire(), gears.get(l.to().gear()), l.to().port(),
                                delays));
            }
        }
        outlets.entrySet().removeIf(e -> {
            boolean unused = next.links().stream().noneMatch(l -> l.to().isWire() && l.to().wire().equals(e.getKey()));
            if (unused) {
                warnDiscarded("wire " + e.getKey(), e.getValue().discard());
            }
            return unused;
        });
        templates.entrySet().removeIf(e -> {
            boolean unused = next.links().stream().noneMatch(l -> l.to().isWire() && l.to().wire().equals(e.getKey()));
            if (unused) {
                warnDiscarded("wire template " + e.getKey(), e.getValue().discard());
            }
            return unused;
        });
        List<WireInlet> gone = new ArrayList<>();
        inlets.forEach((key, w) -> {
            if (desired.get(key) != w) {
                gone.add(w);
            }
        });
        desired.forEach((key, w) -> {
            if (inlets.get(key) != w && transport != null) {
                WireTransport t = transport;
                delays.execute(() -> w.connect(t));
            }
        });
        inlets.clear();
        inlets.putAll(desired);
        return gone;
    }

    /** Sets (or clears, with null) the transport: outlets publish, inlets re-subscribe. */
    void transport(WireTransport t) {
        transport = t;
        outlets.values().forEach(o -> o.transport(t));
        templates.values().forEach(o -> o.transport(t));
        inlets.values().forEach(w -> delays.execute(() -> w.connect(t)));
    }

    /** Drops every outlet's waiting messages; @return the incoming links, to close outside the lock */
    List<WireInlet> close() {
        outlets.forEach((wire, o) -> warnDiscarded("wire " + wire, o.discard()));
        templates.forEach((wire, o) -> warnDiscarded("wire template " + wire, o.discard()));
        List<WireInlet> subs = new ArrayList<>(inlets.values());
        outlets.clear();
        templates.clear();
        inlets.clear();
        return subs;
    }

    static void warnDiscarded(String what, int n) {
        if (n > 0) {
            LOG.warn("{} is gone (left the patch or the rack stopped): {} waiting message(s) discarded", what, n);
        }
    }
}
