package io.fluxrig.bench.fleet;

import io.fluxrig.snake.api.Inventory;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The inventory a simulated rack reports: shaped like an edge rack's (a Felix framework with the
 * fluxrig runtime, the Web Console, Jackson, jnats and a few gears: about 40 bundles with their
 * archive digests, their declared gear types and capabilities, six gear instances and their
 * links). The gear counters move on "busy" racks (traffic through them) and stay still on idle
 * ones. Stateless; thread-safe.
 */
final class SimInventory {
    private static final String[] BUNDLES = {"org.apache.felix.framework", "org.apache.felix.scr", "org.apache.felix.configadmin",
        "org.apache.felix.metatype", "org.apache.felix.fileinstall", "org.apache.felix.http.jetty12", "org.apache.felix.http.servlet-api",
        "org.apache.felix.webconsole", "org.apache.felix.inventory", "org.apache.felix.webconsole.plugins.ds",
        "org.osgi.util.function", "org.osgi.util.promise", "org.osgi.service.component", "org.osgi.service.cm",
        "com.fasterxml.jackson.core.jackson-core", "com.fasterxml.jackson.core.jackson-databind",
        "com.fasterxml.jackson.core.jackson-annotations", "com.fasterxml.jackson.dataformat.jackson-dataformat-cbor",
        "com.fasterxml.jackson.dataformat.jackson-dataformat-yaml", "org.yaml.snakeyaml", "io.nats.jnats", "slf4j.api",
        "org.owasp.encoder", "commons-fileupload", "commons-io", "io.opentelemetry.api", "io.opentelemetry.context",
        "io.fluxrig.gear.api", "io.fluxrig.rack.runtime", "io.fluxrig.rack.snake", "io.fluxrig.wire.jetstream",
        "io.fluxrig.gear.basic", "io.fluxrig.gear.iso8583", "io.fluxrig.gear.json", "io.fluxrig.snake.api",
        "org.apache.aries.spifly.dynamic.framework.extension", "org.objectweb.asm", "org.objectweb.asm.commons",
        "org.objectweb.asm.tree", "org.objectweb.asm.util"};
    private static final String[][] GEAR_TYPES = {{"iso8583.server", "io.fluxrig.gear.iso8583"}, {"iso8583.client", "io.fluxrig.gear.iso8583"},
        {"iso8583.router", "io.fluxrig.gear.iso8583"}, {"json.map", "io.fluxrig.gear.json"}, {"json.filter", "io.fluxrig.gear.json"},
        {"timer", "io.fluxrig.gear.basic"}, {"log", "io.fluxrig.gear.basic"}, {"reply.match", "io.fluxrig.gear.basic"}};
    private static final String[][] GEARS = {{"terminals", "iso8583.server"}, {"route", "iso8583.router"}, {"to-core", "json.map"},
        {"replies", "reply.match"}, {"audit", "log"}, {"keepalive", "timer"}};
    private static final List<String> WIRES = List.of("terminals.out -> route.in", "route.out -> to-core.in",
        "to-core.out -> wire:auth.requests", "wire:auth.responses.edge -> replies.in", "replies.out -> terminals.reply",
        "keepalive.out -> audit.in");

    /** The inventory's other live part: the wire transport, the same on every simulated rack. */
    static final Inventory.WireTransport WIRE_TRANSPORT = new Inventory.WireTransport(true, "nats://10.0.0.5:4222 (3 servers)");

    private SimInventory() {
    }

    /**
     * @param rack the rack's name (its digests differ per rack, as archives built at different times do)
     * @param traffic the rack's message count so far (0 for an idle rack)
     * @return its inventory
     */
    static Inventory of(String rack, long traffic) {
        List<Inventory.Bundle> bundles = new ArrayList<>();
        Map<String, String> digests = new LinkedHashMap<>();
        List<Inventory.Capability> caps = new ArrayList<>();
        for (int i = 0; i < BUNDLES.length; i++) {
            bundles.add(new Inventory.Bundle(i, BUNDLES[i], i < 27 ? "2." + (i % 7) + "." + (i % 3) : "1.0.0", "ACTIVE"));
            if (i > 0) {
                digests.put("reference:file:bundles/" + BUNDLES[i] + ".jar", "sha256:" + hex(rack + BUNDLES[i]));
            }
            caps.add(new Inventory.Capability("osgi.wiring.package", i, Map.of("osgi.wiring.package", BUNDLES[i], "version", "1.0.0")));
        }
        List<Inventory.GearTypeInfo> types = new ArrayList<>();
        for (String[] t : GEAR_TYPES) {
            types.add(new Inventory.GearTypeInfo(t[0], t[1] + " 1.0.0"));
            caps.add(new Inventory.Capability("io.fluxrig.gear", 30, Map.of("type", t[0])));
        }
        return new Inventory(bundles, digests, types, gears(traffic), WIRES, WIRE_TRANSPORT, caps);
    }

    /**
     * @param traffic the rack's message count so far (0 for an idle rack)
     * @return the inventory's live part: its gear instances with their counters
     */
    static List<Inventory.Gear> gears(long traffic) {
        List<Inventory.Gear> gears = new ArrayList<>(GEARS.length);
        for (String[] g : GEARS) {
            gears.add(new Inventory.Gear(g[0], g[1], "io.fluxrig.gear", "running", traffic, traffic, 0));
        }
        return gears;
    }

    /** A stable 64-hex-digit value for a text (not a real digest: the Mixer only stores it). */
    private static String hex(String s) {
        long h = s.hashCode() * 0x9E3779B97F4A7C15L;
        StringBuilder b = new StringBuilder(64);
        for (int i = 0; i < 4; i++) {
            h = h * 6364136223846793005L + 1442695040888963407L;
            b.append(HexFormat.of().toHexDigits(h));
        }
        return b.toString();
    }
}
