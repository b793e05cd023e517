package io.fluxrig.rack.snake;

import io.fluxrig.gear.GearType;
import io.fluxrig.rack.spi.RackState;
import io.fluxrig.snake.api.Heartbeat;
import io.fluxrig.snake.api.Inventory;
import io.fluxrig.snake.api.release.ReleaseTrust;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;

/**
 * Takes a heartbeat: the rack's {@link Inventory} (bundles, gear types from {@value GearType#NAMESPACE}
 * capabilities, gear instances, wires, and the capabilities a deployment pre-flight needs).
 * Called on the Snake thread; reads framework state that may change meanwhile, so it is a
 * snapshot "consistent enough" like the console's, never a lock on the rack.
 */
final class InventorySnapshot {
    /** Capability namespaces reported (identity and host/bundle wiring add nothing for pre-flight). */
    private static final Set<String> NAMESPACES = Set.of(GearType.NAMESPACE, "osgi.wiring.package", "osgi.service",
            "osgi.extender", "osgi.contract", "osgi.implementation", "osgi.serviceloader");

    private InventorySnapshot() {
    }

    static Heartbeat heartbeat(BundleContext context, long heartbeatMillis, RackState rack, BundleDigests digests,
            ReleaseTrust releases) {
        Bundle[] bundles = context.getBundles();
        List<Inventory.Bundle> bundleList = new ArrayList<>();
        Map<String, String> bundleDigests = new LinkedHashMap<>(); // location -> sha256 of the archive
        List<Inventory.GearTypeInfo> gearTypes = new ArrayList<>();
        List<Inventory.Capability> capabilities = new ArrayList<>();
        Set<Long> ids = new HashSet<>();
        for (Bundle b : bundles) {
            bundleList.add(new Inventory.Bundle(b.getBundleId(), b.getSymbolicName(), b.getVersion().toString(), state(b.getState())));
            ids.add(b.getBundleId());
            if (b.getBundleId() != 0) { // the system bundle has no archive
                bundleDigests.put(b.getLocation(), digests.digest(b)); // cached per bundle and lastModified
            }
            for (BundleCapability c : capabilities(b, GearType.NAMESPACE)) {
                gearTypes.add(new Inventory.GearTypeInfo(String.valueOf(c.getAttributes().get(GearType.NAMESPACE)),
                        b.getSymbolicName() + " " + b.getVersion()));
            }
            for (String ns : NAMESPACES) {
                for (BundleCapability c : capabilities(b, ns)) {
                    capabilities.add(new Inventory.Capability(ns, b.getBundleId(), attributes(c)));
                }
            }
        }
        digests.retain(ids);
        List<Inventory.Gear> gearList = rack.gears().stream()
                .map(r -> new Inventory.Gear(r.name(), r.type(), r.bundle(), r.state(), r.in(), r.out(), r.errors())).toList();
        RackState.Wire transport = rack.wire();
        Inventory inventory = new Inventory(bundleList, bundleDigests, gearTypes, gearList, rack.links(),
                transport == null ? null : new Inventory.WireTransport(transport.connected(), transport.detail()),
                capabilities, releases);
        return new Heartbeat(heartbeatMillis, Map.of("java", System.getProperty("java.version"),
                "fluxrig", context.getBundle().getVersion().toString()), inventory);
    }

    private static Map<String, String> attributes(BundleCapability c) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> a : c.getAttributes().entrySet()) {
            Object v = a.getValue();
            out.put(a.getKey(), v instanceof Object[] arr
                    ? String.join(",", Arrays.stream(arr).map(String::valueOf).toList()) : String.valueOf(v));
        }
        return out;
    }

    private static List<BundleCapability> capabilities(Bundle b, String ns) {
        BundleRevision rev = b.adapt(BundleRevision.class);
        return rev == null ? List.of() : rev.getDeclaredCapabilities(ns);
    }

    private static String state(int s) {
        return switch (s) {
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            default -> "UNINSTALLED";
        };
    }
}
