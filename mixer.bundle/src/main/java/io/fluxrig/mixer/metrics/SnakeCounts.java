package io.fluxrig.mixer.metrics;

import io.fluxrig.mixer.http.SnakeObserver;
import io.opentelemetry.api.metrics.DoubleHistogram;
import java.time.Clock;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what the Snake endpoint answered, for the Mixer's metrics: heartbeats accepted and how
 * long each took from its arrival to its answer (the registry's NATS round trip included), and
 * enrolments accepted or refused, and every refusal by route and status. The counters run from the Mixer's start; the latency goes to
 * the histogram {@link MixerInstruments} binds while a meter provider is there (none bound:
 * not recorded).
 *
 * <p>Called on the Snake server's threads; thread-safe (allocation-free but for the first refusal of a kind).
 */
public final class SnakeCounts implements SnakeObserver {
    private final Clock clock;
    private final LongAdder heartbeats = new LongAdder();
    private final LongAdder enrolled = new LongAdder();
    private final LongAdder refused = new LongAdder();
    /** Refusals by "route status": a handful of keys (routes × statuses the handler answers). */
    private final java.util.concurrent.ConcurrentHashMap<Refusal, LongAdder> refusals = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile DoubleHistogram latency;

    /** One kind of refusal. */
    record Refusal(String route, int status) {
    }

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

    @Override
    public void refused(String route, int status) {
        refusals.computeIfAbsent(new Refusal(route, status), k -> new LongAdder()).increment();
    }

    /** @return refusals so far by route and status */
    java.util.Map<Refusal, Long> refusals() {
        java.util.Map<Refusal, Long> out = new java.util.HashMap<>();
        refusals.forEach((k, n) -> out.put(k, n.sum()));
        return out;
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
