package io.fluxrig.gear.json.map;

import io.fluxrig.msg.FluxMsg;
import java.util.List;
import java.util.Map;

/**
 * One mapping rule: a target pointer, a source or a constant, whether a missing source is an
 * error, a default, and the transforms applied in order. Immutable and thread-safe.
 *
 * @param target where the value goes
 * @param source where it comes from, or null for a constant
 * @param constant the constant value (when source is null)
 * @param optional whether a missing source skips the rule instead of failing
 * @param hasDefault whether {@code dflt} is used for a missing source (it is not transformed)
 * @param dflt the default
 * @param transforms applied in order to a present source value
 */
record Rule(Pointer target, Source source, Object constant, boolean optional, boolean hasDefault, Object dflt,
        List<Transforms.Transform> transforms) {

    /**
     * Applies the rule to a message, writing into the document under construction.
     *
     * @param msg the message
     * @param doc the document (owned by the caller)
     * @throws MapError why the value could not be mapped
     */
    void apply(FluxMsg msg, Map<String, Object> doc) throws MapError {
        if (source == null) {
            target.put(doc, constant);
            return;
        }
        Object v = source.read(msg);
        if (v == null) {
            if (hasDefault) {
                target.put(doc, dflt);
            } else if (!optional) {
                throw new MapError("required " + source + " is missing");
            }
            return;
        }
        for (Transforms.Transform t : transforms) {
            v = t.apply(v, msg);
        }
        target.put(doc, v);
    }
}
