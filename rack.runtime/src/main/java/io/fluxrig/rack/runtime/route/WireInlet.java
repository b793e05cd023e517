package io.fluxrig.rack.runtime.route;

import io.fluxrig.wire.WireDelivery;
import io.fluxrig.wire.WireSubscription;
import io.fluxrig.wire.WireTransport;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a link {@code wire:NAME -> gear.port}: subscribes with the durable consumer name
 * {@code <rack>-<instance>-<wire>}, delivers each message into the gear's inlet synchronously,
 * acknowledges after the chain returned, and asks for redelivery in 1 s when the gear is not
 * bound (the message must not be acknowledged while only buffered in memory) or the chain
 * failed (back pressure downstream).
 *
 * <p>Threading: deliveries arrive on transport threads; {@code subscription} is guarded by
 * {@code this}. Subscribing may block on the network, so the router calls {@link #connect} on
 * the rack executor, never on a DS callback thread.
 */
final class WireInlet {
    private static final Logger LOG = LoggerFactory.getLogger(WireInlet.class);
    static final Duration REDELIVERY = Duration.ofSeconds(1);

    final String wire;
    final String port;
    final String consumer;
    private final Inlet target;
    private WireSubscription subscription;
    private boolean closed;

    WireInlet(String rack, String wire, Inlet target, String port) {
        this.wire = wire;
        this.port = port;
        this.target = target;
        this.consumer = rack + "-" + target.name + "-" + wire;
    }

    /** Replaces the subscription with one on {@code transport} (null: just unsubscribe). */
    void connect(WireTransport transport) {
        WireSubscription old;
        synchronized (this) {
            old = subscription;
            subscription = null;
        }
        closeQuietly(old);
        if (transport == null) {
            return;
        }
        WireSubscription s;
        try {
            s = transport.subscribe(wire, consumer, this::onDelivery);
        } catch (RuntimeException e) {
            LOG.warn("wire {}: subscribing {} failed: {}", wire, consumer, e.toString());
            return;
        }
        synchronized (this) {
            if (!closed) {
                subscription = s;
                return;
            }
        }
        closeQuietly(s);
    }

    void close() {
        WireSubscription old;
        synchronized (this) {
            closed = true;
            old = subscription;
            subscription = null;
        }
        closeQuietly(old);
    }

    void onDelivery(WireDelivery d) {
        try {
            if (target.tryDeliverDirect(port, d.msg())) {
                d.ack();
            } else {
                d.nak(REDELIVERY, "gear " + target.name + " is not bound");
            }
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            d.nak(REDELIVERY, e.toString());
        }
    }

    private void closeQuietly(WireSubscription s) {
        if (s == null) {
            return;
        }
        try {
            s.close();
        } catch (RuntimeException e) {
            LOG.debug("wire {}: closing {} failed", wire, consumer, e);
        }
    }
}
