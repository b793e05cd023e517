package io.fluxrig.mixer.ca;

/** A certificate signing request was refused; the message is the reason given to the rack. */
public final class CsrException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param reason the reason, shown to the rack */
    public CsrException(String reason) {
        super(reason);
    }
}
