package io.fluxrig.msg;

import java.util.Objects;

/**
 * One hop of a message's path: which gear instance on which rack handled it, and when.
 *
 * @param rack the rack name
 * @param gear the gear instance name
 * @param ts when, in nanoseconds since the epoch
 */
public record Hop(String rack, String gear, long ts) {
    /** Checks that rack and gear are present. */
    public Hop {
        Objects.requireNonNull(rack, "rack");
        Objects.requireNonNull(gear, "gear");
    }
}
