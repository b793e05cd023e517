package io.fluxrig.gear;

import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.SensitiveData;

/**
 * Thrown by a gear to reject a message with a reason. The reason travels with the message to the
 * gear's error port (meta {@value Gear#META_ERROR}), so it must name the field and the cause,
 * e.g. {@code "field amount: not a number: 'abc'"}. A reason must not quote card data (name the
 * field and the length instead); as a safety net, card numbers in it are masked on the way out
 * ({@link io.fluxrig.msg.SensitiveData#maskText}).
 */
public class GearRejection extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param reason what was wrong with the message; shown to operators */
    public GearRejection(String reason) {
        super(reason);
    }

    /**
     * @param reason what was wrong with the message; shown to operators
     * @param cause the underlying failure
     */
    public GearRejection(String reason, Throwable cause) {
        super(reason, cause);
    }

    /**
     * The message a rejection sends to the error port, built in this one place for a thrown
     * rejection (by the rack), {@link GearContext#reject} and {@link Deferral#reject}.
     *
     * @param msg the rejected message (or one derived from it that carries more meta)
     * @param gear the instance that rejects it
     * @param reason why; {@code null} or blank becomes "no reason given"; card numbers in it are
     *     masked ({@link io.fluxrig.msg.SensitiveData#maskText})
     * @return {@code msg} with meta {@value Gear#META_ERROR} = the masked reason and
     *     {@value Gear#META_ERROR_GEAR} = gear (same id)
     * @since 1.2
     */
    public static FluxMsg errorMessage(FluxMsg msg, String gear, String reason) {
        String why = reason == null || reason.isBlank() ? "no reason given" : SensitiveData.maskText(reason);
        return msg.toBuilder().meta(Gear.META_ERROR, why).meta(Gear.META_ERROR_GEAR, gear).build();
    }
}
