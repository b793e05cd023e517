package io.fluxrig.testsupport;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import java.io.IOException;

/**
 * Creates the first replicated streams of a cluster that has just become ready. nats-server 2.9
 * sometimes answers 10049 ("error creating store for stream") to the first R3 placement while the
 * new stream's raft group is created on a peer that has just joined, or that is still loading the
 * account from its resolver; the wire provisioner repeats the request for the same reason.
 *
 * <p>Only 10049 is repeated, for at most {@link #PATIENCE_NANOS}; any other error, and 10049 still
 * after that, is thrown to the test. Stateless; any thread.
 */
public final class FreshClusterStreams {
    /** How long 10049 is repeated: 15 s. */
    public static final long PATIENCE_NANOS = 15_000_000_000L;
    /** The JetStream API error code of "error creating store for stream". */
    public static final int STORE_NOT_CREATED = 10049;

    private FreshClusterStreams() {
    }

    /** Adds the stream, repeating the request every 200 ms while the cluster answers 10049. */
    public static StreamInfo add(JetStreamManagement jsm, StreamConfiguration config)
            throws IOException, JetStreamApiException, InterruptedException {
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        while (true) {
            try {
                return jsm.addStream(config);
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() != STORE_NOT_CREATED || System.nanoTime() - deadline > 0) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }
}
