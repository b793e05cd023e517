package io.fluxrig.gear.json.map;

/** Why one value could not be mapped; the caller adds which rule and field. */
final class MapError extends Exception {
    private static final long serialVersionUID = 1L;

    MapError(String reason) {
        super(reason, null, false, false);
    }
}
