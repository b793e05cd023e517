package io.fluxrig.rack.runtime.route;

import io.fluxrig.gear.BackPressureException;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.rack.runtime.patch.WireTemplate;
import io.fluxrig.wire.WireTransport;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A link target {@code wire:prefix.${meta.KEY}}: computes each message's wire from its meta and
 * hands it to that wire's {@link WireOutlet}. Outlets are created on first use and cached, at
 * most {@code maxWires} per template; when the cache is full, the least recently used outlet
 * with nothing waiting is dropped (a later message re-creates it), and when every cached outlet
 * still has messages waiting the emit fails with {@link BackPressureException}.
 *
 * <p>A message whose meta lacks a key, or whose value is not allowed in a wire name, is refused
 * with {@link UnroutableException} naming the key; when its chain runs for a wire delivery, that
 * delivery is failed with the same reason (naked, so it ends in dead letters after its maximum
 * deliveries), whoever catches the exception on the way.
 *
 * <p>Threading: the cache is guarded by {@code this}, held only for the lookup (never while an
 * outlet waits for buffer space). An outlet dropped between its lookup and its accept still
 * publishes what it took (it keeps the transport it had).
 */
final class TemplateWireTarget implements Target {
    final WireTemplate template;
    private final Dispatcher dispatcher;
    private final Function<String, WireOutlet> newOutlet;
    private final int maxWires;
    private final Map<String, WireOutlet> outlets = new LinkedHashMap<>(16, 0.75f, true);
    private WireTransport transport;

    TemplateWireTarget(WireTemplate template, Dispatcher dispatcher, Function<String, WireOutlet> newOutlet,
            int maxWires) {
        this.template = template;
        this.dispatcher = dispatcher;
        this.newOutlet = newOutlet;
        this.maxWires = maxWires;
    }

    @Override
    public void accept(FluxMsg msg) {
        String wire;
        try {
            wire = template.resolve(msg::meta);
        } catch (IllegalArgumentException e) {
            DeliveryScope scope = dispatcher.wireDelivery();
            if (scope != null) {
                scope.fail(e.getMessage());
            }
            throw new UnroutableException(e.getMessage());
        }
        outlet(wire).accept(msg);
    }

    private synchronized WireOutlet outlet(String wire) {
        WireOutlet o = outlets.get(wire);
        if (o != null) {
            return o;
        }
        if (outlets.size() >= maxWires && !evictIdle()) {
            throw new BackPressureException("wire:" + template + ": " + maxWires
                    + " wires in use, all with messages waiting; cannot open wire " + wire);
        }
        o = newOutlet.apply(wire);
        o.transport(transport);
        outlets.put(wire, o);
        return o;
    }

    private boolean evictIdle() {
        for (Iterator<WireOutlet> it = outlets.values().iterator(); it.hasNext();) {
            if (it.next().buffered() == 0) {
                it.remove();
                return true;
            }
        }
        return false;
    }

    /** Sets (or clears) the transport of every cached outlet and of those created later. */
    synchronized void transport(WireTransport t) {
        transport = t;
        outlets.values().forEach(o -> o.transport(t));
    }

    /** @return the wires with a cached outlet, least recently used first (for tests and consoles) */
    synchronized List<String> wires() {
        return new ArrayList<>(outlets.keySet());
    }

    /** @return messages waiting in this target's outlets */
    synchronized int waiting() {
        return outlets.values().stream().mapToInt(WireOutlet::buffered).sum();
    }

    /** Drops every outlet (the link left the patch or the rack stops); @return messages dropped */
    synchronized int discard() {
        int n = 0;
        for (WireOutlet o : outlets.values()) {
            n += o.discard();
        }
        outlets.clear();
        return n;
    }
}
