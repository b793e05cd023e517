package io.fluxrig.wire.jetstream;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamStatusException;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one retry loop of stream and consumer provisioning while JetStream has no leader to
 * answer: in a cluster, for a few seconds after the meta leader or a stream leader is lost, API
 * requests get no responders or time out (jnats: an {@link IOException}), or the server answers
 * 503 "JetStream system temporarily unavailable" / "not leader"; and on a cluster just formed,
 * nats-server 2.9 may answer a new replicated stream 10049 "error creating store for stream"
 * while the stream's raft group is created on a peer that has just joined or is still loading the
 * account. Such a call is repeated with
 * backoff (100 ms doubling to 1 s) for at most {@link #bound}; any other error, and a transient one
 * past the bound, goes to the caller unchanged (a transient one is never turned into a
 * configuration conflict, so the caller's own retry takes over).
 *
 * <p>Threading: stateless apart from its settings; the calling thread sleeps between attempts.
 */
final class LeaderWait {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderWait.class);
    /**
     * JSClusterNotActiveErr, JSClusterNotAvailErr ("temporarily unavailable"), JSClusterNotLeaderErr,
     * JSStreamCreateErr ("error creating store for stream", a peer of a fresh cluster not ready yet).
     */
    private static final Set<Integer> ELECTION_ERRORS = Set.of(10006, 10008, 10009, 10049);

    /** A JetStream management call. */
    interface Call<T> {
        T call() throws IOException, JetStreamApiException;
    }

    private final Duration bound;

    LeaderWait(Duration bound) {
        this.bound = bound;
    }

    /**
     * @param what for the log, e.g. "stream WIRE_x"
     * @return the call's result, once it succeeded
     * @throws IOException or JetStreamApiException: not transient, or still failing at the bound
     */
    <T> T call(String what, Call<T> call) throws IOException, JetStreamApiException {
        long deadline = System.nanoTime() + bound.toNanos();
        long pause = 100;
        for (int attempt = 1; ; attempt++) {
            try {
                return call.call();
            } catch (IOException | JetStreamApiException | JetStreamStatusException e) {
                if (!transientError(e) || System.nanoTime() + pause * 1_000_000 - deadline > 0) {
                    if (attempt > 1) {
                        LOG.warn("wire.jetstream: {}: still no JetStream leader after {} attempts ({})", what, attempt, e.toString());
                    }
                    throw e;
                }
                if (attempt == 1) {
                    LOG.info("wire.jetstream: {}: JetStream has no leader to answer yet ({}); retrying for up to {} ms",
                            what, e.toString(), bound.toMillis());
                }
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException(what + ": interrupted while waiting for a JetStream leader", ie);
                }
                pause = Math.min(pause * 2, 1_000);
            }
        }
    }

    /** @return true for the errors of a cluster without a (meta or stream) leader for the moment */
    static boolean transientError(Exception e) {
        if (e instanceof JetStreamApiException api) {
            return api.getErrorCode() == 503 || ELECTION_ERRORS.contains(api.getApiErrorCode());
        }
        return e instanceof IOException || e instanceof JetStreamStatusException;
    }
}
