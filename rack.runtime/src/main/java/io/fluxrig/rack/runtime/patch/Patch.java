package io.fluxrig.rack.runtime.patch;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A patch: the gear instances of a rack and the links between them. Immutable.
 *
 * @param rack the informational rack name from the file, or null
 * @param group the consumer group whose name the durable consumers of this patch's wire inputs carry
 *     instead of the rack's ({@code <group>-<gear>-<wire>}), so racks running the patch with the same
 *     group share them (competing consumers); null: the rack's own name (each rack reads everything)
 * @param gears instances by name, in file order
 * @param links links in file order, without duplicates
 */
public record Patch(String rack, String group, Map<String, GearSpec> gears, List<Link> links) {

    /** The patch of a rack that runs nothing. */
    public static final Patch EMPTY = new Patch(null, Map.of(), List.of());

    /** A patch without a consumer group: its wire inputs are the rack's own. */
    public Patch(String rack, Map<String, GearSpec> gears, List<Link> links) {
        this(rack, null, gears, links);
    }

    /**
     * @param rackName the name of the rack running the patch
     * @return the name its wire inputs' durable consumers start with: the group, else the rack's name
     */
    public String consumerOwner(String rackName) {
        return group != null ? group : rackName;
    }

    /** Makes defensive immutable copies, keeping order. */
    public Patch {
        gears = Collections.unmodifiableMap(new LinkedHashMap<>(gears));
        links = List.copyOf(links);
    }
}
