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
 * Reads framework state that may change meanwhile, so it is a snapshot "consistent enough" like
 * the console's, never a lock on the rack.
 *
 * <p>The bundle part (bundles, their digests, gear types, capabilities: most of the work and of
 * the size) is kept and rebuilt only when a bundle's id, state or last-modified time changed (an
 * install, update, start, stop or uninstall changes one of them); the kept lists are immutable,
 * so an unchanged inventory compares equal to the previous one by identity, cheaply. Gear
 * instances, wires, the wire transport and the release trust are read every time, and the gear
 * counters since the previous heartbeat become its summary ({@link SummaryRates}).
 *
 * <p>Threading: called on the Snake thread only (the cache is not shared).
 */
final class InventorySnapshot {
    /** Capability namespaces reported (identity and host/bundle wiring add nothing for pre-flight). */
    private static final Set<String> NAMESPACES = Set.of(GearType.NAMESPACE, "osgi.wiring.package", "osgi.service",
            "osgi.extender", "osgi.contract", "osgi.implementation", "osgi.serviceloader");

    /** The bundle part of an inventory and the bundle states it was built from. */
    private record BundlePart(long[] fingerprint, List<Inventory.Bundle> bundles, Map<String, String> digests,
            List<Inventory.GearTypeInfo> gearTypes, List<Inventory.Capability> capabilities) {
    }

    private final BundleContext context;
    private final RackState rack;
    private final BundleDigests digests;
    private BundlePart kept; // Snake thread only
    private final SummaryRates rates = new SummaryRates(); // Snake thread only

    /**
     * @param context the framework whose bundles are reported
     * @param rack gear instances, links and wire transport
     * @param digests the bundles' archive digests (cached per bundle)
     */
    InventorySnapshot(BundleContext context, RackState rack, BundleDigests digests) {
        this.context = context;
        this.rack = rack;
        this.digests = digests;
    }

    /**
     * @param heartbeatMillis the period to announce
     * @param releases the rack's release trust
     * @return a heartbeat with the full inventory (the Snake decides whether it travels in full) and
     *         the traffic summary since the previous call
     */
    Heartbeat heartbeat(long heartbeatMillis, ReleaseTrust releases) {
        Bundle[] bundles = context.getBundles();
        BundlePart part = bundlePart(bundles);
        List<RackState.Gear> gears = rack.gears();
        List<Inventory.Gear> gearList = gears.stream()
                .map(r -> new Inventory.Gear(r.name(), r.type(), r.bundle(), r.state(), r.in(), r.out(), r.errors())).toList();
        Map<String, RackState.Latency> latencies = new java.util.HashMap<>();
        gears.forEach(g -> {
            if (g.latency() != null) {
                latencies.put(g.name(), g.latency());
            }
        });
        RackState.Wire transport = rack.wire();
        Inventory inventory = new Inventory(part.bundles(), part.digests(), part.gearTypes(), gearList, rack.links(),
                transport == null ? null : new Inventory.WireTransport(transport.connected(), transport.detail()),
                part.capabilities(), releases, rack.patchDigest());
        return new Heartbeat(heartbeatMillis, Map.of("java", System.getProperty("java.version"),
                "fluxrig", context.getBundle().getVersion().toString()), inventory)
                .withSummary(rates.next(System.nanoTime(), gearList, latencies));
    }

    private BundlePart bundlePart(Bundle[] bundles) {
        long[] fingerprint = new long[bundles.length * 3];
        for (int i = 0; i < bundles.length; i++) {
            fingerprint[3 * i] = bundles[i].getBundleId();
            fingerprint[3 * i + 1] = bundles[i].getState();
            fingerprint[3 * i + 2] = bundles[i].getLastModified();
        }
        BundlePart k = kept;
        if (k != null && Arrays.equals(k.fingerprint(), fingerprint)) {
            return k;
        }
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
        kept = new BundlePart(fingerprint, List.copyOf(bundleList), Map.copyOf(bundleDigests), List.copyOf(gearTypes),
                List.copyOf(capabilities));
        return kept;
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
