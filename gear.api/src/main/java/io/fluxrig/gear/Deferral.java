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
 * Exactly one of {@link #complete()}, {@link #fail} or {@link #reject} takes effect; a later
 * {@code complete} or {@code fail} is ignored.
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

    /**
     * Rejects the held message asynchronously, as a {@link GearRejection} thrown from
     * {@link Gear#onMessage} would: {@code msg} goes to the gear's {@value Gear#PORT_ERROR} port
     * ({@link GearRejection#errorMessage}), on behalf of the held delivery as {@link #emit} does,
     * and the deferral is then settled as {@link #complete() complete}: the message is handled, its
     * answer is the rejection. When the error port has no link, a wire delivery is failed with the
     * reason (naked, so it is delivered again and dead-lettered in the end); a message from any
     * other source is logged and counted. The deferral is settled even when the emit throws.
     *
     * @param msg the held message, or one derived from it that carries more meta (an answer id,
     *     attempts, a status)
     * @param reason why, naming the cause
     * @throws BackPressureException when the downstream cannot take the message (a wire
     *     delivery is then failed and delivered again)
     * @throws IllegalStateException when the deferral is already settled
     * @since 1.2
     */
    void reject(FluxMsg msg, String reason);

    /** @return true when failing this deferral makes the message's source deliver it again */
    boolean redelivers();
}
