package io.fluxrig.gear;

/**
 * Thrown by a gear to reject a message with a reason. The reason travels with the message to the
 * gear's error port (meta {@value Gear#META_ERROR}), so it must name the field and the cause,
 * e.g. {@code "field amount: not a number: 'abc'"}.
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
}
