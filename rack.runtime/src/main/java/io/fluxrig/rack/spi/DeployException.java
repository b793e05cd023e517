package io.fluxrig.rack.spi;

/**
 * A deployment that did not happen; the message is the reason reported to the Mixer.
 * {@link #refused()} tells a request the rack will not carry out (the input is wrong: result
 * {@code refused}) from an attempt that went wrong (result {@code failed}).
 */
public final class DeployException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean refused;

    private DeployException(boolean refused, String reason) {
        super(reason);
        this.refused = refused;
    }

    /** @param reason why the input is not deployable @return the exception */
    public static DeployException refused(String reason) {
        return new DeployException(true, reason);
    }

    /** @param reason what went wrong and what was undone @return the exception */
    public static DeployException failed(String reason) {
        return new DeployException(false, reason);
    }

    /** @return true for {@code refused}, false for {@code failed} */
    public boolean refused() {
        return refused;
    }
}
