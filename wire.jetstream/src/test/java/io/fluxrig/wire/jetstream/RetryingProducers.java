package io.fluxrig.wire.jetstream;

import io.fluxrig.msg.FluxMsg;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fault tests' producers: one thread per producer name, each publishing {@code perProducer}
 * messages ({@link Wires#msg}) on one wire with one in flight, and sending a failed publish again
 * as the same fluxMsg (same Nats-Msg-Id), as the rack's outlet does, after a pause. Each
 * acknowledgement is recorded in the {@link WireHistory}; failed attempts are counted. Owns its
 * threads: {@link #join} waits for them, an interrupt ends them.
 */
final class RetryingProducers {
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger failures = new AtomicInteger();

    private RetryingProducers() {
    }

    /**
     * @param publishTimeout how long one publish may wait for its acknowledgement
     * @param retryPause the pause before a failed publish is sent again (zero: at once)
     * @return the started producers
     */
    static RetryingProducers start(JetStreamWireTransport t, String wire, List<String> names, long perProducer,
            Duration publishTimeout, Duration retryPause, WireHistory history) {
        RetryingProducers p = new RetryingProducers();
        for (String name : names) {
            Thread thread = new Thread(() -> p.produce(t, wire, name, perProducer, publishTimeout, retryPause, history), "producer-" + name);
            thread.start();
            p.threads.add(thread);
        }
        return p;
    }

    private void produce(JetStreamWireTransport t, String wire, String producer, long perProducer, Duration publishTimeout,
            Duration retryPause, WireHistory history) {
        for (long seq = 0; seq < perProducer; seq++) {
            FluxMsg m = Wires.msg(producer, seq);
            while (true) {
                try {
                    t.publish(wire, m).toCompletableFuture().get(publishTimeout.toMillis(), TimeUnit.MILLISECONDS);
                    history.acked(producer, seq);
                    break;
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    failures.incrementAndGet();
                    try {
                        Thread.sleep(retryPause.toMillis()); // a pause between attempts, not a wait for a condition
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }
    }

    /** Waits for every producer to finish, each at most {@code patience} (a hang guard). */
    void join(Duration patience) throws InterruptedException {
        for (Thread t : threads) {
            t.join(patience.toMillis());
        }
    }

    /** @return publish attempts that failed (and were sent again) */
    int failures() {
        return failures.get();
    }
}
