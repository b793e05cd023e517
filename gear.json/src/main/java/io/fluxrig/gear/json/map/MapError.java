package io.fluxrig.gear.json.map;

import io.fluxrig.msg.SensitiveData;

/**
 * Why one value could not be mapped; the caller adds which rule and field. A reason that quotes
 * the offending value names it separately, so that {@link #shown} can mask it by the rule's
 * field: the text never reaches an error wire, a dead letter or a log with card data in clear.
 */
final class MapError extends Exception {
    private static final long serialVersionUID = 1L;

    /** The value the reason quotes, as text, or null. */
    private final String value;

    /** @param reason why, quoting no value */
    MapError(String reason) {
        this(reason, null);
    }

    /**
     * @param reason why, quoting {@code value}
     * @param value the offending value as it appears in the reason
     */
    MapError(String reason, String value) {
        super(reason, null, false, false);
        this.value = value;
    }

    /**
     * @param field how the rule's source or target is classed by fluxrig's card-data rule set
     * @return the reason as operators may see it: the quoted value masked as card data of that
     *     kind, and any other card number in the text masked ({@link SensitiveData#maskText})
     */
    String shown(SensitiveData.Kind field) {
        String r = getMessage();
        if (value != null && !value.isEmpty() && field != SensitiveData.Kind.NONE) {
            r = r.replace(value, field == SensitiveData.Kind.PAN ? SensitiveData.maskPan(value) : SensitiveData.HIDDEN);
        }
        return SensitiveData.maskText(r);
    }
}
