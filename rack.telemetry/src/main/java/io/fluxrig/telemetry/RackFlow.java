package io.fluxrig.telemetry;

import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The shape of the rack's flow, for the live console page's picture: a service the rack runtime
 * registers (the telemetry bundle cannot depend on the runtime, which depends on it). The page
 * takes it through an optional dynamic reference and draws no picture without it; it also takes the
 * gears' processing times over the rack's recent window from it.
 *
 * <p>Implementations are thread-safe: called on console request threads.
 */
@ConsumerType
public interface RackFlow {
    /**
     * @return the applied patch's links as the patch writes them, one per entry:
     *         {@code gear.port -> gear.port}, {@code gear.port -> wire:NAME} or
     *         {@code wire:NAME -> gear.port} (empty when no patch is applied)
     */
    List<String> links();

    /**
     * @return per gear instance of the running patch, its processing times over the rack's recent
     *         window; an instance not called in the window is absent (the page then shows its
     *         percentiles since start). Empty by default, for a provider that keeps no window.
     */
    default Map<String, Latency> latencies() {
        return Map.of();
    }

    /**
     * A gear instance's processing times over the rack's recent sliding window (percentiles are
     * histogram bucket bounds).
     *
     * @param calls calls counted in the window (more than 0)
     * @param p50Millis median processing time, in milliseconds
     * @param p99Millis 99th percentile, in milliseconds
     * @param windowMillis the window's nominal length, in milliseconds
     */
    record Latency(long calls, double p50Millis, double p99Millis, long windowMillis) {
    }
}
