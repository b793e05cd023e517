package io.fluxrig.rack.spi;

import java.nio.file.Path;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A read-only view of the running rack, for the Snake's inventory. A service of the rack
 * runtime. Every call takes a fresh snapshot "consistent enough" (like the console's), never a
 * lock on the rack; callable from any thread.
 */
@ProviderType
public interface RackState {
    /** @return the rack's name ({@code fluxrig.rack.name}) */
    String name();

    /** @return the rack's data folder ({@code fluxrig.rack.data}) */
    Path data();

    /** @return the gear instances of the running patch, with their counters and recent processing times */
    List<Gear> gears();

    /** @return the applied patch's links, e.g. {@code a.out -> b.in} */
    List<String> links();

    /** @return the wire transport's connection, or null when the rack has none */
    Wire wire();

    /**
     * @return {@code sha256:<hex>} of the UTF-8 text of the patch the rack runs now, or null when
     *         it runs none
     */
    default String patchDigest() {
        return null;
    }

    /**
     * One gear instance.
     *
     * @param name its name in the patch
     * @param type its gear type
     * @param bundle the bundle providing the type
     * @param state e.g. {@code running}
     * @param in messages received
     * @param out messages emitted
     * @param errors messages that failed
     * @param latency its processing times over the recent window, or null when it was not called
     *        in it (or the runtime keeps none)
     */
    record Gear(String name, String type, String bundle, String state, long in, long out, long errors, Latency latency) {
        /** A gear instance without processing times. */
        public Gear(String name, String type, String bundle, String state, long in, long out, long errors) {
            this(name, type, bundle, state, in, out, errors, null);
        }
    }

    /**
     * A gear instance's processing times ({@code onMessage}, the synchronous downstream chain
     * included) over a recent sliding window the rack keeps per instance in fixed memory. Each
     * percentile is the upper bound of a log-linear histogram bucket: at most 12.5 % above the
     * true value.
     *
     * @param calls calls counted in the window
     * @param p50Millis median processing time, in milliseconds
     * @param p99Millis 99th percentile, in milliseconds
     * @param windowMillis the window's nominal length (the current, partly elapsed period included)
     */
    record Latency(long calls, double p50Millis, double p99Millis, long windowMillis) {
    }

    /**
     * The wire transport.
     *
     * @param connected whether it reaches its broker
     * @param detail its own line: connection state and reason, counters
     */
    record Wire(boolean connected, String detail) {
    }
}
