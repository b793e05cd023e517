package io.fluxrig.mixer.metrics;

import io.fluxrig.mixer.http.SnakeObserver;
import io.opentelemetry.api.metrics.DoubleHistogram;
import java.time.Clock;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what the Snake endpoint answered, for the Mixer's metrics: heartbeats accepted and how
 * long each took from its arrival to its answer (the registry's NATS round trip included), and
 * enrolments accepted or refused. The counters run from the Mixer's start; the latency goes to
 * the histogram {@link MixerInstruments} binds while a meter provider is there (none bound:
 * not recorded).
 *
 * <p>Called on the Snake server's threads; thread-safe and allocation-free.
 */
public final class SnakeCounts implements SnakeObserver {
    private final Clock clock;
    private final LongAdder heartbeats = new LongAdder();
    private final LongAdder enrolled = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private volatile DoubleHistogram latency;

    /** @param clock the clock the Snake handler stamps arrivals with */
    public SnakeCounts(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void heartbeat(String rack, String connection, long atMillis) {
        heartbeats.increment();
        DoubleHistogram h = latency;
        if (h != null) {
            h.record(Math.max(0, clock.millis() - atMillis) / 1000.0);
        }
    }

    @Override
    public void enrolment(boolean accepted) {
        (accepted ? enrolled : refused).increment();
    }

    void bind(DoubleHistogram histogram) {
        latency = histogram;
    }

    long heartbeats() {
        return heartbeats.sum();
    }

    long enrolled() {
        return enrolled.sum();
    }

    long refused() {
        return refused.sum();
    }
}
