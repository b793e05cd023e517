package io.fluxrig.rack.runtime.route;

import io.fluxrig.gear.Deferral;
import io.fluxrig.gear.GearContext;
import io.fluxrig.msg.FluxMsg;

/**
 * The {@link GearContext} of one binding of a gear instance. Emitting routes through the
 * router's current topology on the caller's thread; {@link #defer()} inside a wire delivery's
 * chain holds that delivery open (see {@link HeldDeferral}). Thread-safe; closed (emit throws
 * {@link IllegalStateException}) once the binding is closed.
 */
final class RackGearContext implements GearContext {
    private final Dispatcher dispatcher;
    private final Inlet inlet;
    private final String instance;
    private final GearStats stats;
    private volatile boolean closed;

    RackGearContext(Dispatcher dispatcher, Inlet inlet) {
        this.dispatcher = dispatcher;
        this.inlet = inlet;
        this.instance = inlet.name;
        this.stats = inlet.stats;
    }

    @Override
    public String rack() {
        return dispatcher.rack();
    }

    @Override
    public String instance() {
        return instance;
    }

    @Override
    public void emit(String port, FluxMsg msg) {
        if (closed) {
            throw new IllegalStateException("gear " + instance + " is closed: emit on '" + port + "' refused");
        }
        dispatcher.emit(inlet, stats, port, msg);
    }

    /** Holds the current wire delivery; outside one (TCP source, buffered drain) a plain deferral. */
    @Override
    public Deferral defer() {
        Deferral held = dispatcher.defer(this);
        return held != null ? held : GearContext.super.defer();
    }

    /** As a rejection thrown from {@code onMessage}: counted, routed to the error port or logged. */
    @Override
    public void reject(FluxMsg msg, String reason) {
        if (closed) {
            throw new IllegalStateException("gear " + instance + " is closed: reject refused");
        }
        dispatcher.reject(inlet, msg, reason, null);
    }

    GearStats stats() {
        return stats;
    }

    void close() {
        closed = true;
    }
}
