package io.fluxrig.snake.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The inventory's digest and the heartbeat forms that carry it, old and new. */
class InventoryDigestTest {
    private static Inventory inventory(Map<String, String> digests, List<Inventory.Gear> gears, String... bundles) {
        return inventoryWithWire(digests, gears, "published 0", bundles);
    }

    private static Inventory inventoryWithWire(Map<String, String> digests, List<Inventory.Gear> gears, String wire,
            String... bundles) {
        List<Inventory.Bundle> list = new java.util.ArrayList<>();
        for (int i = 0; i < bundles.length; i++) {
            list.add(new Inventory.Bundle(i + 1, bundles[i], "1.0.0", "ACTIVE"));
        }
        return new Inventory(list, digests, List.of(new Inventory.GearTypeInfo("json.codec", "b 1.0.0")), gears,
                List.of("a.out -> b.in"), new Inventory.WireTransport(true, "nats://127.0.0.1:4222; " + wire),
                List.of(new Inventory.Capability("osgi.wiring.package", 1, Map.of("osgi.wiring.package", "io.x",
                        "version", "1.0.0"))));
    }

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void theDigestNamesTheInventoryWithoutItsGearsWhateverTheMapOrder() {
        List<Inventory.Gear> idle = List.of(new Inventory.Gear("codec", "json.codec", "b 1.0.0", "running", 0, 0, 0));
        List<Inventory.Gear> busy = List.of(new Inventory.Gear("codec", "json.codec", "b 1.0.0", "running", 900, 899, 1));
        String d = InventoryDigest.of(inventory(ordered("file:/a.jar", "sha256:1", "file:/b.jar", "sha256:2"), idle, "a", "b"));
        assertTrue(d.matches("sha256:[0-9a-f]{64}"), d);
        assertEquals(d, InventoryDigest.of(inventoryWithWire(ordered("file:/b.jar", "sha256:2", "file:/a.jar", "sha256:1"), busy,
                "published 900", "a", "b")), "map order, gear and wire counters do not change the digest");
        assertNotEquals(d, InventoryDigest.of(inventory(ordered("file:/a.jar", "sha256:1", "file:/b.jar", "sha256:3"), idle, "a", "b")),
                "a bundle's archive changed");
        assertNotEquals(d, InventoryDigest.of(inventory(ordered("file:/a.jar", "sha256:1", "file:/b.jar", "sha256:2"), idle, "a", "b", "c")),
                "a bundle was added");
    }

    @Test
    void aDigestOnlyHeartbeatCarriesTheGearsAndNoInventory() throws Exception {
        List<Inventory.Gear> gears = List.of(new Inventory.Gear("codec", "json.codec", "b 1.0.0", "running", 5, 4, 1));
        Inventory inv = inventory(Map.of(), gears, "a");
        Heartbeat full = new Heartbeat(1000, Map.of("java", "17"), inv);
        String d = InventoryDigest.of(inv);
        Heartbeat small = full.digestOnly(d);
        assertNull(small.inventory());
        assertEquals(gears, small.gears());
        assertEquals(inv.wireTransport(), small.wireTransport());
        assertEquals(d, small.inventoryDigest());
        assertEquals(small, SnakeCodec.json().read(SnakeCodec.json().write(small), Heartbeat.class));
        Heartbeat withDigest = full.withInventoryDigest(d);
        assertEquals(inv, withDigest.inventory());
        assertNull(withDigest.gears());
        assertEquals(withDigest, SnakeCodec.json().read(SnakeCodec.json().write(withDigest), Heartbeat.class));
    }

    @Test
    void theOldFormsStillReadAndWrite() throws Exception {
        // A rack that predates digests: no inventoryDigest, no gears; written without them too.
        Heartbeat old = SnakeCodec.json().read(
                "{\"heartbeatMillis\":1000,\"versions\":{},\"inventory\":null}".getBytes(StandardCharsets.UTF_8), Heartbeat.class);
        assertNull(old.inventoryDigest());
        assertNull(old.gears());
        String written = new String(SnakeCodec.json().write(new Heartbeat(1000, Map.of(), null)), StandardCharsets.UTF_8);
        assertFalse(written.contains("inventoryDigest") || written.contains("gears"), written);
        // A Mixer that predates digests answers without one.
        HeartbeatReply reply = SnakeCodec.json().read("{\"rack\":\"r\",\"state\":\"online\",\"commands\":[]}"
                .getBytes(StandardCharsets.UTF_8), HeartbeatReply.class);
        assertNull(reply.inventoryDigest());
        assertEquals("{\"rack\":\"r\",\"state\":\"online\",\"commands\":[]}", new String(
                SnakeCodec.json().write(new HeartbeatReply("r", "online", List.of())), StandardCharsets.UTF_8));
    }
}
