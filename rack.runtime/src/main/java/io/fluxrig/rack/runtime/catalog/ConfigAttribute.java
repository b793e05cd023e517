package io.fluxrig.rack.runtime.catalog;

import java.util.function.Function;

/**
 * One configuration attribute of a gear type, from its metatype {@code AttributeDefinition}.
 *
 * @param id the property key, e.g. {@code interval.ms}
 * @param type the metatype type constant ({@code AttributeDefinition.STRING}, {@code LONG}, ...)
 * @param cardinality 0 for a single value, otherwise an array
 * @param validator metatype validation of one value's text: null or "" when valid, otherwise
 *     the reason
 */
public record ConfigAttribute(String id, int type, int cardinality, Function<String, String> validator) {
}
