package io.fluxrig.snake.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fluxrig.snake.api.release.ReleaseTrust;
import java.util.List;
import java.util.Map;

/**
 * What runs on a rack, sent in a {@link Heartbeat} when it changed (see {@link InventoryDigest}): a snapshot of its bundles, gear types and
 * instances, wires, and the capabilities a deployment pre-flight needs. Null lists and maps
 * become empty.
 *
 * @param bundles every installed bundle
 * @param bundleDigests bundle location to the {@link ArtifactDigest} of its archive (not the system bundle)
 * @param gearTypes the gear types the bundles declare
 * @param gears the gear instances
 * @param wires the patch's links, e.g. {@code a.out -> b.in}
 * @param wireTransport the wire transport's connection, or null when the rack has none
 * @param capabilities declared capabilities of the namespaces a pre-flight resolves against
 * @param releases the rack's release trust (pinned publisher keys or development mode) and the
 *        releases it installed, or null from a rack that does not report it
 * @param patch the {@link ArtifactDigest} of the patch text the rack runs (the same digest as the
 *        patch file's artifact), or null when it runs none (or does not report it)
 */
public record Inventory(List<Bundle> bundles, Map<String, String> bundleDigests, List<GearTypeInfo> gearTypes,
        List<Gear> gears, List<String> wires,
        @JsonInclude(JsonInclude.Include.NON_NULL) WireTransport wireTransport, List<Capability> capabilities,
        @JsonInclude(JsonInclude.Include.NON_NULL) ReleaseTrust releases,
        @JsonInclude(JsonInclude.Include.NON_NULL) String patch) {

    /** An inventory without the patch digest (a rack that does not report it). */
    public Inventory(List<Bundle> bundles, Map<String, String> bundleDigests, List<GearTypeInfo> gearTypes,
            List<Gear> gears, List<String> wires, WireTransport wireTransport, List<Capability> capabilities,
            ReleaseTrust releases) {
        this(bundles, bundleDigests, gearTypes, gears, wires, wireTransport, capabilities, releases, null);
    }

    /** An inventory without release trust (a rack that does not report it). */
    public Inventory(List<Bundle> bundles, Map<String, String> bundleDigests, List<GearTypeInfo> gearTypes,
            List<Gear> gears, List<String> wires, WireTransport wireTransport, List<Capability> capabilities) {
        this(bundles, bundleDigests, gearTypes, gears, wires, wireTransport, capabilities, null, null);
    }

    /** Null lists and maps become empty. */
    public Inventory {
        bundles = bundles == null ? List.of() : List.copyOf(bundles);
        bundleDigests = bundleDigests == null ? Map.of() : Map.copyOf(bundleDigests);
        gearTypes = gearTypes == null ? List.of() : List.copyOf(gearTypes);
        gears = gears == null ? List.of() : List.copyOf(gears);
        wires = wires == null ? List.of() : List.copyOf(wires);
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
    }

    /**
     * @param id bundle id
     * @param symbolicName its symbolic name
     * @param version its version
     * @param state {@code ACTIVE}, {@code RESOLVED}, {@code INSTALLED}, {@code STARTING},
     *        {@code STOPPING} or {@code UNINSTALLED}
     */
    public record Bundle(long id, String symbolicName, String version, String state) {
    }

    /**
     * @param type the gear type
     * @param bundle {@code <symbolic name> <version>} of the bundle declaring it
     */
    public record GearTypeInfo(String type, String bundle) {
    }

    /**
     * @param name the instance's name in the patch
     * @param type its gear type
     * @param bundle the bundle providing the type
     * @param state e.g. {@code running}
     * @param in messages received
     * @param out messages emitted
     * @param errors messages that failed
     */
    public record Gear(String name, String type, String bundle, String state, long in, long out, long errors) {
    }

    /**
     * @param connected whether the wire transport reaches its broker
     * @param detail what it is connected to, or why not
     */
    public record WireTransport(boolean connected, String detail) {
    }

    /**
     * @param namespace the capability namespace
     * @param bundle the id of the declaring bundle
     * @param attributes its attributes as text (lists joined with ',')
     */
    public record Capability(String namespace, long bundle, Map<String, String> attributes) {
        /** Null attributes become empty. */
        public Capability {
            attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        }
    }
}
