package io.fluxrig.rack.snake;

/** The Mixer refused the rack, or talking to it failed; the message is the reason to log. */
final class SnakeException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;

    /**
     * @param status the HTTP status the Mixer answered, or 0 when there was no answer
     * @param reason the reason
     */
    public SnakeException(int status, String reason) {
        super(reason);
        this.status = status;
    }

    /** @return the HTTP status, or 0 */
    public int status() {
        return status;
    }
}
