package io.fluxrig.gear.json.map;

import io.fluxrig.gear.GearRejection;
import io.fluxrig.msg.FluxMsg;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A loaded, validated mapping: rules that build a JSON document (an object) from a message's data
 * and meta. Immutable and thread-safe: one instance serves every concurrent call of its gear.
 *
 * @param name the mapping's name
 * @param rules the rules, applied in order (the document's keys follow that order)
 */
public record Mapping(String name, List<Rule> rules) {

    /**
     * @param msg the input message
     * @return a new document (a mutable map owned by the caller), keys in rule order
     * @throws GearRejection naming the mapping, the target, the source and the reason, card data in
     *     the reason masked by the rule's source or target field ({@link MapError#shown})
     */
    public Map<String, Object> apply(FluxMsg msg) throws GearRejection {
        Map<String, Object> doc = new LinkedHashMap<>();
        for (Rule r : rules) {
            try {
                r.apply(msg, doc);
            } catch (MapError e) {
                throw new GearRejection("json.map " + name + ": " + r.target()
                        + (r.source() == null ? "" : " (from " + r.source() + ")") + ": " + e.shown(r.cardData()));
            }
        }
        return doc;
    }
}
