package io.fluxrig.rack.runtime.route;

import io.fluxrig.wire.WireDelivery;
import io.fluxrig.wire.WireSubscription;
import io.fluxrig.wire.WireTransport;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a link {@code wire:NAME -> gear.port}: subscribes with the durable consumer name
 * {@code <owner>-<instance>-<wire>}, where the owner is the patch's consumer group or, without
 * one, the rack's name (racks of one group share the consumer: each message goes to one of them),
 * and delivers each message into the gear's inlet
 * synchronously, inside a {@link DeliveryScope}. The delivery is acknowledged only when the
 * message is fully handled: the chain returned, nothing of it waits in memory (an unbound gear on
 * the way refuses instead of buffering), and every publish it made to an outgoing wire was
 * acknowledged, and every gear that {@link io.fluxrig.gear.GearContext#defer() deferred} it settled
 * its deferral (see {@link DeliveryScope}). Otherwise it is naked for redelivery in 1 s, with the
 * reason.
 *
 * <p>A subscription that fails (transport not connected yet, broker away) is retried with
 * exponential backoff up to 30 s, until it succeeds or the link is closed.
 *
 * <p>Threading: deliveries arrive on transport threads; {@code subscription}, {@code attempts}
 * and {@code closed} are guarded by {@code this}. Subscribing may block on the network, so it
 * runs on the rack's scheduler thread, never on a DS callback thread.
 */
final class WireInlet {
    private static final Logger LOG = LoggerFactory.getLogger(WireInlet.class);
    static final Duration REDELIVERY = Duration.ofSeconds(1);
    private static final long MAX_BACKOFF_MS = 30_000;

    final String wire;
    final String port;
    final String consumer;
    private final Dispatcher dispatcher;
    private final Inlet target;
    private final ScheduledExecutorService delays;
    private WireSubscription subscription;
    private WireTransport current;
    private int attempts;
    private boolean closed;

    /**
     * @param owner the consumer group of the patch, or the rack's name: the first part of the durable name
     */
    WireInlet(Dispatcher dispatcher, String owner, String wire, Inlet target, String port,
            ScheduledExecutorService delays) {
        this.dispatcher = dispatcher;
        this.wire = wire;
        this.port = port;
        this.target = target;
        this.delays = delays;
        this.consumer = owner + "-" + target.name + "-" + wire;
    }

    /** Replaces the subscription with one on {@code transport} (null: just unsubscribe). */
    void connect(WireTransport transport) {
        WireSubscription old;
        synchronized (this) {
            old = subscription;
            subscription = null;
            current = transport;
            attempts = 0;
        }
        closeQuietly(old);
        if (transport != null) {
            subscribe(transport);
        }
    }

    private void subscribe(WireTransport transport) {
        WireSubscription s;
        try {
            s = transport.subscribe(wire, consumer, this::onDelivery);
        } catch (RuntimeException e) {
            retry(transport, e);
            return;
        }
        synchronized (this) {
            if (!closed && current == transport) {
                subscription = s;
                if (attempts > 0) {
                    LOG.info("wire {}: subscribed {} after {} failed attempt(s)", wire, consumer, attempts);
                }
                return;
            }
        }
        closeQuietly(s);
    }

    private void retry(WireTransport transport, RuntimeException e) {
        long delay;
        synchronized (this) {
            if (closed || current != transport) {
                return;
            }
            delay = Math.min(MAX_BACKOFF_MS, 500L << Math.min(attempts, 6));
            if (attempts++ == 0) {
                LOG.warn("wire {}: subscribing {} failed, retrying with backoff: {}", wire, consumer, e.toString());
            }
        }
        try {
            delays.schedule(() -> subscribe(transport), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shutDown) {
            LOG.debug("wire {}: rack stopping, no retry", wire);
        }
    }

    void close() {
        WireSubscription old;
        synchronized (this) {
            closed = true;
            current = null;
            old = subscription;
            subscription = null;
        }
        closeQuietly(old);
    }

    void onDelivery(WireDelivery d) {
        DeliveryScope scope = new DeliveryScope();
        DeliveryScope outer = dispatcher.enterWireDelivery(scope);
        try {
            if (!target.tryDeliverDirect(port, d.msg())) {
                scope.fail("gear " + target.name + " is not bound");
            }
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            scope.fail(e.toString());
        } finally {
            dispatcher.leaveWireDelivery(outer);
        }
        scope.seal();
        scope.outcome().thenAccept(failure -> {
            if (failure == null) {
                d.ack();
            } else {
                d.nak(REDELIVERY, failure);
            }
        });
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
