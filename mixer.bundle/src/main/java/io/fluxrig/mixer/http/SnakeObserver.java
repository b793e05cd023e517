package io.fluxrig.mixer.http;

/**
 * Sees Snake traffic as the Mixer serves it, with the connection each request came on (the
 * peer's HOST:PORT, one per TCP connection). For diagnostics and tests of the multiplexing
 * requirement; called on Jetty's threads, so implementations must be thread-safe and quick.
 */
public interface SnakeObserver {
    /** Observes nothing. */
    SnakeObserver NONE = new SnakeObserver() {
    };

    /**
     * A heartbeat was accepted.
     *
     * @param rack the rack
     * @param connection its connection
     * @param atMillis when its request arrived (before the registry was read or written)
     */
    default void heartbeat(String rack, String connection, long atMillis) {
    }

    /**
     * An artifact transfer ended.
     *
     * @param rack the rack
     * @param connection its connection
     * @param bytes bytes sent
     * @param startMillis when the first byte was written
     * @param endMillis when the last byte was written (or the transfer failed)
     */
    default void artifact(String rack, String connection, long bytes, long startMillis, long endMillis) {
    }
}
