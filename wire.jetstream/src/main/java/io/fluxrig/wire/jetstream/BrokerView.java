package io.fluxrig.wire.jetstream;

import io.nats.client.api.ConsumerInfo;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The broker's view of one durable consumer: JetStream's consumer info ({@code num_pending},
 * {@code num_ack_pending}, {@code num_redelivered}), for the per-wire pending metrics.
 *
 * <p>Off the hot path and at a bounded rate: nothing here runs on a fetch or worker thread. Only a
 * metrics collection calls {@link #current}, which returns the last snapshot at once and, when
 * that is older than {@link #MIN_INTERVAL_NANOS} and no request is under way, hands one request
 * to the metrics' single info thread. So a consumer costs JetStream at most one info request per
 * interval however often it is scraped, and a slow or absent server delays only the numbers
 * (a failed request clears them: no stale value is reported as current).
 *
 * <p>Thread-safe: {@code snapshot} and {@code lastStart} are volatile, {@code fetching} admits one
 * request at a time.
 */
final class BrokerView {
    /** At most one consumer-info request per consumer this often. */
    static final long MIN_INTERVAL_NANOS = 5_000_000_000L;

    /** One answer of the broker. */
    record Snapshot(long pending, long ackPending, long redelivered) {
    }

    /** Asks the broker; may block (a request to the server); throws when it cannot answer. */
    interface Source {
        ConsumerInfo info() throws Exception;
    }

    private final Source source;
    private final AtomicBoolean fetching = new AtomicBoolean();
    private volatile Snapshot snapshot;
    private volatile long lastStart = System.nanoTime() - MIN_INTERVAL_NANOS;

    BrokerView(Source source) {
        this.source = source;
    }

    /**
     * @param executor where a due request runs (the metrics' info thread)
     * @return the last snapshot, or null before the first answer or after a failed request
     */
    Snapshot current(Executor executor) {
        if (System.nanoTime() - lastStart >= MIN_INTERVAL_NANOS && fetching.compareAndSet(false, true)) {
            lastStart = System.nanoTime();
            try {
                executor.execute(this::fetch);
            } catch (RejectedExecutionException e) {
                fetching.set(false);
            }
        }
        return snapshot;
    }

    private void fetch() {
        try {
            ConsumerInfo info = source.info();
            snapshot = info == null ? null : new Snapshot(info.getNumPending(), info.getNumAckPending(), info.getRedelivered());
        } catch (Exception e) {
            snapshot = null;
        } finally {
            fetching.set(false);
        }
    }
}
