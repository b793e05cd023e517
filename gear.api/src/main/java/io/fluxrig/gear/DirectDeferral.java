package io.fluxrig.gear;

import io.fluxrig.msg.FluxMsg;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@link Deferral} of a context that holds nothing open (test contexts, messages that did
 * not come from a wire): emits go straight to the context, completing only marks it settled.
 * Not API (package-private); thread-safe.
 */
final class DirectDeferral implements Deferral {
    private final GearContext context;
    private final AtomicBoolean settled = new AtomicBoolean();

    DirectDeferral(GearContext context) {
        this.context = context;
    }

    @Override
    public void emit(String port, FluxMsg msg) {
        if (settled.get()) {
            throw new IllegalStateException("gear " + context.instance() + ": deferral already settled, emit on '"
                    + port + "' refused");
        }
        context.emit(port, msg);
    }

    @Override
    public void reject(FluxMsg msg, String reason) {
        if (settled.get()) {
            throw new IllegalStateException("gear " + context.instance() + ": deferral already settled, reject refused");
        }
        try {
            context.reject(msg, reason);
        } finally {
            settled.set(true);
        }
    }

    @Override
    public void complete() {
        settled.set(true);
    }

    @Override
    public void fail(String reason) {
        settled.set(true);
    }

    @Override
    public boolean redelivers() {
        return false;
    }
}
