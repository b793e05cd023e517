package io.fluxrig.gear;

import io.fluxrig.msg.FluxMsg;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The message a gear is handling, held open past the return of {@link Gear#onMessage} because
 * the gear finishes it asynchronously (a REST call, a remote lookup). Obtained from
 * {@link GearContext#defer()} inside {@code onMessage}; implemented by the rack.
 *
 * <p><b>What it holds.</b> When the message came from a wire, the rack acknowledges that wire
 * delivery only after the deferral was {@link #complete() completed} and every publish its emits
 * made to outgoing wires was acknowledged; {@link #fail} naks it with the reason (the wire
 * delivers it again, and dead-letters it after its maximum deliveries). A deferral that is not
 * settled within the rack's bound ({@code fluxrig.rack.defer.timeout.ms}) fails by itself: the
 * delivery is naked, never acknowledged. When the message did not come from a wire (a TCP
 * server, a timer), nothing upstream waits: emits are plain emits and completing does nothing
 * more; {@link #redelivers()} tells the two cases apart.
 *
 * <p><b>Threading.</b> Thread-safe; meant to be settled from the gear's own callback thread.
 * Exactly one of {@link #complete()} or {@link #fail} takes effect; later calls are ignored.
 * Emit before settling: an emit after the deferral was settled (or timed out) throws
 * {@link IllegalStateException}, because the message it answers has already been given back.
 */
@ProviderType
public interface Deferral {

    /**
     * Emits a result of the held message, as {@link GearContext#emit} does, but on behalf of the
     * held delivery: its publishes to outgoing wires join that delivery (it is acknowledged only
     * after they are), and a downstream that cannot take the message fails the delivery instead
     * of keeping it in memory.
     *
     * @param port an output port declared by the gear type (or {@value Gear#PORT_ERROR})
     * @param msg the message to emit
     * @throws BackPressureException when the downstream cannot take the message
     * @throws IllegalStateException when the deferral is already settled
     */
    void emit(String port, FluxMsg msg);

    /** The deferred work is done (its emits made): the held message is handled. */
    void complete();

    /**
     * The deferred work failed without a result to emit: the held message is given back to its
     * source with the reason. A wire delivery is naked and delivered again; a message from any
     * other source is lost, so a gear whose deferral does not {@link #redelivers() redeliver}
     * should answer it itself (for example on its error port) and {@link #complete()} instead.
     *
     * @param reason why, naming the cause; kept with the nak (and the dead letter)
     */
    void fail(String reason);

    /** @return true when failing this deferral makes the message's source deliver it again */
    boolean redelivers();
}
