package io.fluxrig.rack.runtime.route;

import io.fluxrig.gear.GearContext;
import io.fluxrig.msg.FluxMsg;

/**
 * The {@link GearContext} of one binding of a gear instance. Emitting routes through the
 * router's current topology on the caller's thread. Thread-safe; closed (emit throws
 * {@link IllegalStateException}) once the binding is closed.
 */
final class RackGearContext implements GearContext {
    private final Router router;
    private final String instance;
    private final GearStats stats;
    private volatile boolean closed;

    RackGearContext(Router router, String instance, GearStats stats) {
        this.router = router;
        this.instance = instance;
        this.stats = stats;
    }

    @Override
    public String rack() {
        return router.rack();
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
        router.emit(instance, stats, port, msg);
    }

    void close() {
        closed = true;
    }
}
