package io.fluxrig.rack.runtime.route;

import io.fluxrig.gear.BackPressureException;
import io.fluxrig.gear.Deferral;
import io.fluxrig.gear.Gear;
import io.fluxrig.gear.GearRejection;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.Hop;
import io.fluxrig.msg.SensitiveData;
import io.fluxrig.snake.api.LogText;
import io.fluxrig.telemetry.FailedMessages;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rack's hot path: routes emitted messages to their link targets, calls gears and sends
 * their failures to error ports, and tracks which wire delivery ({@link DeliveryScope}) the
 * current thread's chain runs for, so outlets, inlets and deferrals can join it.
 *
 * <p>Threading: lock-free. {@code topology} is a volatile immutable snapshot the {@link Router}
 * replaces under its own lock; the delivery scope is a per-dispatcher thread-local set and
 * cleared around each chain by {@link WireInlet} and {@link HeldDeferral}.
 */
final class Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final String rack;
    private final long deferTimeoutMillis;
    private final ScheduledExecutorService delays;
    private volatile Topology topology = Topology.EMPTY;
    /** Spans of gear calls and source emits; null (no cost beyond this read) without telemetry. */
    private volatile GearTracing tracing;
    /** The exported processing-time histogram; null without a meter provider. */
    private volatile GearMetrics metrics;
    /** Gear type per instance of the applied patch, for span names; replaced with the topology. */
    private volatile Map<String, String> types = Map.of();
    /** Where rejections and failures are also told, for the live console page; null without it. */
    private volatile FailedMessages failures;
    /** The wire delivery whose chain runs on this thread; per dispatcher (one per rack). */
    private final ThreadLocal<DeliveryScope> wireDelivery = new ThreadLocal<>();

    Dispatcher(String rack, long deferTimeoutMillis, ScheduledExecutorService delays) {
        this.rack = rack;
        this.deferTimeoutMillis = deferTimeoutMillis;
        this.delays = delays;
    }

    String rack() {
        return rack;
    }

    /** Makes {@code t} the routes of every later emit. Router lock held. */
    void topology(Topology t) {
        topology = t;
    }

    /** Sets (null: clears) where rejections and failures are also told; called by the router. */
    void failures(FailedMessages f) {
        failures = f;
    }

    /** Sets (null: clears) the tracing of gear calls; called by the router when telemetry comes or goes. */
    void tracing(GearTracing t) {
        tracing = t;
    }

    /** Sets (null: clears) the per-call metrics; called by the router when a meter provider comes or goes. */
    void metrics(GearMetrics m) {
        metrics = m;
    }

    /** Makes {@code t} the gear types of the instances (instance name to type). Router lock held. */
    void types(Map<String, String> t) {
        types = t;
    }

    /** @return the gear type of an instance, or "gear" when it is not in the applied patch */
    String typeOf(String instance) {
        return types.getOrDefault(instance, "gear");
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

    /**
     * @return a deferral holding the current wire delivery, or null when the current thread runs
     *     no wire delivery (the caller then uses a plain deferral)
     */
    Deferral defer(RackGearContext context) {
        DeliveryScope scope = wireDelivery.get();
        return scope == null ? null : new HeldDeferral(scope, this, context, deferTimeoutMillis, delays);
    }

    /** @return true when (instance, port) has at least one link */
    boolean linked(String instance, String port) {
        return topology.targets(instance, port).length > 0;
    }

    /** Routes one emitted message to every link target of (instance, port): the hot path. */
    void emit(Inlet inlet, GearStats stats, String port, FluxMsg msg) {
        String instance = inlet.name;
        Target[] targets = topology.targets(instance, port);
        if (targets.length == 0) {
            stats.unrouted.increment();
            return;
        }
        stats.out.increment();
        GearTracing t = tracing;
        if (t != null) {
            t.emit(this, inlet, msg, targets);
            return;
        }
        deliverAll(hop(instance, msg), targets);
    }

    FluxMsg hop(String instance, FluxMsg msg) {
        if (msg.src() == null) {
            return msg.toBuilder().src(instance).hop(new Hop(rack, instance, FluxMsg.nowNanos())).build();
        }
        return msg.withHop(rack, instance, FluxMsg.nowNanos());
    }

    /** Every target gets its chance; the first back-pressure failure is re-thrown at the end. */
    static void deliverAll(FluxMsg msg, Target[] targets) {
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

    /**
     * Calls the gear (inside a span when tracing); see {@link #call}. The call is timed once (two
     * clock reads): into the instance's {@link LatencyWindow} always, and into the metrics'
     * histogram while a meter provider is bound.
     */
    void invoke(Inlet inlet, Binding b, String port, FluxMsg msg) {
        GearTracing t = tracing;
        long start = System.nanoTime();
        try {
            if (t != null) {
                t.invoke(this, inlet, b, port, msg);
            } else {
                call(inlet, b, port, msg);
            }
        } finally {
            long end = System.nanoTime();
            inlet.stats.latency.record(end, end - start);
            GearMetrics m = metrics;
            if (m != null) {
                m.record(inlet.name, end - start);
            }
        }
    }

    /** Prefix of {@link #call}'s answer for a {@link GearRejection}. */
    static final String REJECTED = "rejected: ";

    /**
     * Calls the gear; rejections and failures go to its error port, never to the caller.
     *
     * @return null when the gear returned, else the reason it rejected ({@link #REJECTED} prefix)
     *     or failed
     * @throws BackPressureException from the gear's downstream
     */
    String call(Inlet inlet, Binding b, String port, FluxMsg msg) {
        inlet.stats.in.increment();
        try {
            b.gear.onMessage(port, msg, b.context);
            return null;
        } catch (BackPressureException e) {
            throw e;
        } catch (GearRejection e) {
            reject(inlet, msg, e.getMessage(), null);
            return REJECTED + e.getMessage();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            String reason = e.getClass().getName() + ": " + e.getMessage();
            reject(inlet, msg, reason, e);
            return reason;
        }
    }

    /**
     * @return a stand-in for a failure to log: its class name and message masked by the card-data
     *     rule set, its stack trace, causes left out (their messages may quote message data)
     */
    private static Throwable masked(Throwable unexpected) {
        Throwable t = new Throwable(SensitiveData.maskText(unexpected.toString()), null, false, true) {
            private static final long serialVersionUID = 1L;

            @Override
            public String toString() {
                return getMessage();
            }
        };
        t.setStackTrace(unexpected.getStackTrace());
        return t;
    }

    /**
     * Counts a rejection and routes its error message ({@link GearRejection#errorMessage}) to the
     * error port's links, or logs it (rate-limited) when there is none: for a rejection thrown
     * from {@code onMessage} and for {@link RackGearContext#reject}.
     */
    void reject(Inlet inlet, FluxMsg msg, String reason, Throwable unexpected) {
        inlet.stats.errors.increment();
        if (unexpected == null) {
            inlet.stats.rejected.increment();
        }
        FluxMsg failed = GearRejection.errorMessage(msg, inlet.name, reason);
        FailedMessages told = failures;
        if (told != null) {
            told.failed(inlet.name, failed.meta(Gear.META_ERROR), msg.trace());
        }
        Target[] targets = topology.targets(inlet.name, Gear.PORT_ERROR);
        if (targets.length > 0) {
            deliverAll(hop(inlet.name, failed), targets);
            return;
        }
        // A rejection reason can carry text from the message or its sender: one escaped line.
        String why = LogText.escape(failed.meta(Gear.META_ERROR));
        long held = inlet.errorLog.tryAcquire();
        if (held >= 0) {
            String more = held > 0 ? " (" + held + " more since the last report)" : "";
            if (unexpected != null) {
                LOG.warn("gear {}: message {} failed, no error link: {}{}", inlet.name, msg.id(), why, more, masked(unexpected));
            } else {
                LOG.warn("gear {}: message {} rejected, no error link: {}{}", inlet.name, msg.id(), why, more);
            }
        }
    }
}
