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
     * @param next observes the same events after this one
     * @return an observer telling this one, then {@code next}
     */
    default SnakeObserver andThen(SnakeObserver next) {
        SnakeObserver first = this;
        return new SnakeObserver() {
            @Override
            public void heartbeat(String rack, String connection, long atMillis) {
                first.heartbeat(rack, connection, atMillis);
                next.heartbeat(rack, connection, atMillis);
            }

            @Override
            public void enrolment(boolean accepted) {
                first.enrolment(accepted);
                next.enrolment(accepted);
            }

            @Override
            public void refused(String route, int status) {
                first.refused(route, status);
                next.refused(route, status);
            }

            @Override
            public void artifact(String rack, String connection, long bytes, long startMillis, long endMillis) {
                first.artifact(rack, connection, bytes, startMillis, endMillis);
                next.artifact(rack, connection, bytes, startMillis, endMillis);
            }
        };
    }

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
     * An enrolment was answered.
     *
     * @param accepted whether the rack was enrolled (false: refused, with any reason or status)
     */
    default void enrolment(boolean accepted) {
    }

    /**
     * A request was refused: answered with a status other than 2xx and its reason.
     *
     * @param route the contract's route ({@code SnakeRoute} name), {@code UNKNOWN} for no route,
     *        {@code UNAUTHENTICATED} for the guard in front of the enrolment routes
     * @param status the HTTP status answered
     */
    default void refused(String route, int status) {
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
