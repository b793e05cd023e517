package io.fluxrig.gear;

/**
 * Thrown by {@link GearContext#emit} when a downstream link cannot take the message within the
 * back-pressure time (its target is missing and its buffer is full). The message was not taken:
 * the emitter still owns it and must fail it visibly (for example answer its peer with a
 * system-error decline) or retry later.
 */
public class BackPressureException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message which link is full and for how long the emit waited */
    public BackPressureException(String message) {
        super(message);
    }
}
