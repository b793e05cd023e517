package io.fluxrig.gear.json.map;

import io.fluxrig.msg.FluxMsg;

/**
 * Where a rule reads from: {@code meta:<key>} reads a meta entry (the whole rest is the key, dots
 * included); anything else is a dotted data path ({@code "4"}, {@code "decision.auth_code"},
 * {@code "items.0.sku"}). Immutable.
 *
 * @param meta whether it reads meta
 * @param key the meta key or data path
 */
record Source(boolean meta, String key) {
    static final String META_PREFIX = "meta:";

    /** @param spec the text from the mapping @return the source */
    static Source parse(String spec) {
        return spec.startsWith(META_PREFIX) ? new Source(true, spec.substring(META_PREFIX.length())) : new Source(false, spec);
    }

    /** @param msg the message @return the value, or null when absent */
    Object read(FluxMsg msg) {
        return meta ? msg.meta(key) : msg.get(key);
    }

    @Override
    public String toString() {
        return meta ? "meta " + key : "data " + key;
    }
}
