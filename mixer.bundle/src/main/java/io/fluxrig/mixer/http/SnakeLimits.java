package io.fluxrig.mixer.http;

import java.time.Duration;

/**
 * How much the Snake gives a client before it has proven who it is, and how long it waits on a
 * slow one. Unauthenticated requests ({@code GET /ca}, {@code POST /enrol}: no client
 * certificate) are capped per source address and in total, so that slow or many enrolment
 * requests cannot take the threads heartbeats need; an enrolment body must arrive at a minimum
 * rate; idle connections are closed; request headers are at most 16 KiB. Immutable.
 *
 * @param idleTimeout a connection or HTTP/2 stream with no traffic for this long is closed (must
 *        exceed the 20 s command long poll)
 * @param minRequestDataRate bytes per second an enrolment body must keep up: it must be complete
 *        within its length divided by this rate (at least 1 s), or it is answered 408 and its
 *        connection closed; 0 leaves only the idle timeout
 * @param unauthenticatedPerSource concurrent unauthenticated requests from one address; more are
 *        answered 429 with the reason
 * @param unauthenticatedTotal concurrent unauthenticated requests from all addresses; more wait
 *        (without a thread) for up to {@link #UNAUTHENTICATED_WAIT} and are then answered 503
 * @param maxConnections open TLS connections the Snake accepts (each rack holds one); more wait in the
 *        accept queue
 */
public record SnakeLimits(Duration idleTimeout, long minRequestDataRate, int unauthenticatedPerSource,
        int unauthenticatedTotal, int maxConnections) {
    /** The defaults (PID {@code fluxrig.mixer}). */
    public static final SnakeLimits DEFAULTS = new SnakeLimits(Duration.ofSeconds(30), 1024, 4, 16, 8192);
    /** How long an unauthenticated request over the total waits for a turn before 503. */
    public static final Duration UNAUTHENTICATED_WAIT = Duration.ofSeconds(5);
    /** Largest body of {@code POST /enrol} (a token and a CSR: about 1 KiB). */
    public static final int ENROL_BODY_MAX = 16 * 1024;

    /**
     * @throws IllegalArgumentException naming the limit that is out of range
     */
    public SnakeLimits {
        if (idleTimeout.compareTo(Duration.ofSeconds(25)) < 0) {
            throw new IllegalArgumentException("snake.idle.timeout.ms must be 25000 or more (the command long poll "
                    + "holds a request for 20 s)");
        }
        if (minRequestDataRate < 0 || unauthenticatedPerSource < 1 || unauthenticatedTotal < unauthenticatedPerSource
                || maxConnections < 2) {
            throw new IllegalArgumentException("Snake limits: snake.min.request.rate must be 0 or more, "
                    + "snake.unauthenticated.per.source 1 or more, snake.unauthenticated.total at least the per-source "
                    + "limit, snake.max.connections 2 or more");
        }
    }
}
