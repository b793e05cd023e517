package io.fluxrig.gear.json.map;

import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.SensitiveData;
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
     * @return how card-data rules class this rule's value: the stricter of its source key and its
     *     target's last segment (a PAN written to {@code /card/number} from {@code 2} is a PAN)
     */
    SensitiveData.Kind cardData() {
        SensitiveData.Kind bySource = source == null ? SensitiveData.Kind.NONE : SensitiveData.of(source.key());
        List<String> seg = target.segments();
        SensitiveData.Kind byTarget = seg.isEmpty() ? SensitiveData.Kind.NONE : SensitiveData.of(seg.get(seg.size() - 1));
        return bySource.compareTo(byTarget) >= 0 ? bySource : byTarget;
    }

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
