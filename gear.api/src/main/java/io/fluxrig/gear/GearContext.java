package io.fluxrig.gear;

import io.fluxrig.msg.FluxMsg;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A gear instance's handle on its rack, implemented by the rack runtime.
 *
 * <p>Thread-safe. Valid from {@link Gear#open} until {@link Gear#close}; emitting after close
 * throws {@link IllegalStateException}.
 */
@ProviderType
public interface GearContext {

    /** @return the name of the rack this instance runs in */
    String rack();

    /** @return this gear instance's name (unique in the rack) */
    String instance();

    /**
     * Emits a message on an output port. The rack records a hop (rack, instance, time) in the
     * message's path and hands it to every link leaving that port, synchronously on the calling
     * thread. A port with no link drops nothing silently: the message is counted as unrouted.
     *
     * <p>When a link target is not there (not yet deployed, being updated) the message waits in
     * the link's bounded buffer; when that buffer is full this call blocks for the configured
     * back-pressure time and then throws {@link BackPressureException}, so that a source can
     * answer its peer with a clear failure instead of losing the message.
     *
     * @param port an output port declared by the gear type
     * @param msg the message to emit
     * @throws BackPressureException when the downstream cannot take the message in time
     */
    void emit(String port, FluxMsg msg);

    /**
     * Holds the message now being handled open after {@link Gear#onMessage} returns, for a gear
     * that finishes it asynchronously: call it inside {@code onMessage}, emit the outcome later
     * through the returned {@link Deferral} and settle it. When the message came from a wire,
     * its delivery is acknowledged only once the deferral completed and the publishes its emits
     * made were acknowledged; it is naked when the deferral fails or is not settled within the
     * rack's bound. Held deliveries stay unacknowledged, so they count against the wire
     * consumer's in-flight limit: memory stays bounded.
     *
     * <p>The default (for contexts that hold nothing, e.g. in unit tests) returns a deferral
     * whose emits go straight to {@link #emit} and whose settling does nothing more.
     *
     * @return the deferral of the current message; call once per message
     * @since 1.1
     */
    default Deferral defer() {
        return new DirectDeferral(this);
    }

    /**
     * Rejects a message after {@link Gear#onMessage} returned (a response timed out, a remote
     * call failed): the same outcome as a {@link GearRejection} thrown from {@code onMessage}.
     * The message goes to this instance's {@value Gear#PORT_ERROR} port with meta
     * {@value Gear#META_ERROR} = reason and {@value Gear#META_ERROR_GEAR} = this instance
     * ({@link GearRejection#errorMessage}); the rack counts it as an error and, when no link leaves
     * the error port, logs it. A gear holding the message with a {@link Deferral} uses
     * {@link Deferral#reject} instead.
     *
     * <p>The default (for contexts without a rack, e.g. in unit tests) emits that message on the
     * error port.
     *
     * @param msg the rejected message, or one derived from it that carries more meta (an answer
     *     id, attempts)
     * @param reason why, naming the field or the cause
     * @throws BackPressureException when the error link's target cannot take the message
     * @since 1.2
     */
    default void reject(FluxMsg msg, String reason) {
        emit(Gear.PORT_ERROR, GearRejection.errorMessage(msg, instance(), reason));
    }
}
