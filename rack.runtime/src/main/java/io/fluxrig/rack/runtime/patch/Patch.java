package io.fluxrig.rack.runtime.patch;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A patch: the gear instances of a rack and the links between them. Immutable.
 *
 * @param rack the informational rack name from the file, or null
 * @param gears instances by name, in file order
 * @param links links in file order, without duplicates
 */
public record Patch(String rack, Map<String, GearSpec> gears, List<Link> links) {

    /** The patch of a rack that runs nothing. */
    public static final Patch EMPTY = new Patch(null, Map.of(), List.of());

    /** Makes defensive immutable copies, keeping order. */
    public Patch {
        gears = Collections.unmodifiableMap(new LinkedHashMap<>(gears));
        links = List.copyOf(links);
    }
}
