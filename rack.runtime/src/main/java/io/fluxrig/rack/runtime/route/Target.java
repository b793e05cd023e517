package io.fluxrig.rack.runtime.route;

import io.fluxrig.msg.FluxMsg;

/** Where a link delivers: a gear inlet's port or a wire outlet. Implementations are thread-safe. */
interface Target {
    /**
     * Hands a message on, synchronously on the caller's thread.
     *
     * @param msg the message (hop already recorded)
     * @throws io.fluxrig.gear.BackPressureException when the target's buffer stayed full
     */
    void accept(FluxMsg msg);
}
