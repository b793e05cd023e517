package io.fluxrig.rack.runtime.snake;

import com.fasterxml.jackson.core.JsonGenerator;
import io.fluxrig.gear.GearType;
import io.fluxrig.rack.runtime.patch.Link;
import io.fluxrig.rack.runtime.route.GearRow;
import io.fluxrig.rack.runtime.route.WireStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;

/**
 * Writes a heartbeat body: the rack's inventory (bundles, gear types from {@value GearType#NAMESPACE}
 * capabilities, gear instances, wires, and the capabilities a deployment pre-flight needs).
 * Called on the Snake thread; reads framework state that may change meanwhile, so it is a
 * snapshot "consistent enough" like the console's, never a lock on the rack.
 */
final class Inventory {
    /** Capability namespaces reported (identity and host/bundle wiring add nothing for pre-flight). */
    private static final Set<String> NAMESPACES = Set.of(GearType.NAMESPACE, "osgi.wiring.package", "osgi.service",
            "osgi.extender", "osgi.contract", "osgi.implementation", "osgi.serviceloader");

    private Inventory() {
    }

    static byte[] heartbeat(BundleContext context, long heartbeatMillis, List<GearRow> gears, List<Link> wires,
            WireStatus transport, BundleDigests digests) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try (JsonGenerator g = SnakeJson.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("heartbeatMillis", heartbeatMillis);
            g.writeObjectFieldStart("versions");
            g.writeStringField("java", System.getProperty("java.version"));
            g.writeStringField("fluxrig", context.getBundle().getVersion().toString());
            g.writeEndObject();
            g.writeObjectFieldStart("inventory");
            Bundle[] bundles = context.getBundles();
            g.writeArrayFieldStart("bundles");
            for (Bundle b : bundles) {
                g.writeStartObject();
                g.writeNumberField("id", b.getBundleId());
                g.writeStringField("symbolicName", b.getSymbolicName());
                g.writeStringField("version", b.getVersion().toString());
                g.writeStringField("state", state(b.getState()));
                g.writeEndObject();
            }
            g.writeEndArray();
            // location -> sha256 of the archive (cached per bundle and lastModified)
            g.writeObjectFieldStart("bundleDigests");
            java.util.Set<Long> ids = new java.util.HashSet<>();
            for (Bundle b : bundles) {
                ids.add(b.getBundleId());
                if (b.getBundleId() != 0) { // the system bundle has no archive
                    g.writeStringField(b.getLocation(), digests.digest(b));
                }
            }
            digests.retain(ids);
            g.writeEndObject();
            g.writeArrayFieldStart("gearTypes");
            for (Bundle b : bundles) {
                for (BundleCapability c : capabilities(b, GearType.NAMESPACE)) {
                    g.writeStartObject();
                    g.writeStringField("type", String.valueOf(c.getAttributes().get(GearType.NAMESPACE)));
                    g.writeStringField("bundle", b.getSymbolicName() + " " + b.getVersion());
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
            g.writeArrayFieldStart("gears");
            for (GearRow r : gears) {
                g.writeStartObject();
                g.writeStringField("name", r.name());
                g.writeStringField("type", r.type());
                g.writeStringField("bundle", r.bundle());
                g.writeStringField("state", r.state());
                g.writeNumberField("in", r.in());
                g.writeNumberField("out", r.out());
                g.writeNumberField("errors", r.errors());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("wires");
            for (Link l : wires) {
                g.writeString(l.toString());
            }
            g.writeEndArray();
            if (transport != null) { // the wire transport: degraded while its broker is unreachable
                g.writeObjectFieldStart("wireTransport");
                g.writeBooleanField("connected", transport.connected());
                g.writeStringField("detail", transport.detail());
                g.writeEndObject();
            }
            g.writeArrayFieldStart("capabilities");
            for (Bundle b : bundles) {
                for (String ns : NAMESPACES) {
                    for (BundleCapability c : capabilities(b, ns)) {
                        g.writeStartObject();
                        g.writeStringField("namespace", ns);
                        g.writeNumberField("bundle", b.getBundleId());
                        g.writeObjectFieldStart("attributes");
                        for (Map.Entry<String, Object> a : c.getAttributes().entrySet()) {
                            Object v = a.getValue();
                            g.writeStringField(a.getKey(), v instanceof Object[] arr ? String.join(",",
                                    java.util.Arrays.stream(arr).map(String::valueOf).toList()) : String.valueOf(v));
                        }
                        g.writeEndObject();
                        g.writeEndObject();
                    }
                }
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
        }
        return out.toByteArray();
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
