package io.fluxrig.snake.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The name of an {@link Inventory} in a {@link Heartbeat}: {@code sha256:<64 lower-case hex>} of
 * the canonical JSON of its {@link #stable(Inventory) stable part}: the inventory without the gear
 * instances ({@code gears} written as an empty list) and without the wire transport. The
 * canonical JSON is this codec's JSON with every object's fields and every map's keys in
 * alphabetical order, so two racks (or two runs of one) with the same inventory give the same
 * digest whatever the order of their maps.
 *
 * <p>The gear instances and the wire transport are left out because their counters change with
 * every message: they travel in every heartbeat instead ({@link Heartbeat#gears()},
 * {@link Heartbeat#wireTransport()}). Everything else (bundles and their digests, gear types, the
 * patch's wires, the capabilities, the release trust) is covered. The Mixer treats a
 * digest as an opaque name and never recomputes it (a newer rack may send fields it does not
 * know). Thread-safe.
 */
public final class InventoryDigest {
    private static final ObjectMapper CANONICAL = canonical();

    private InventoryDigest() {
    }

    private static ObjectMapper canonical() {
        return JsonMapper.builder().enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();
    }

    /**
     * @param inventory an inventory
     * @return {@code sha256:<hex>} of the canonical JSON of its stable part
     */
    public static String of(Inventory inventory) {
        try {
            byte[] json = CANONICAL.writeValueAsBytes(stable(inventory));
            return ArtifactDigest.PREFIX + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("an inventory could not be written as JSON", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    /**
     * @param inventory an inventory
     * @return its stable part, what the digest covers: the same inventory without gear instances and
     *     without wire transport
     */
    public static Inventory stable(Inventory inventory) {
        return inventory.gears().isEmpty() && inventory.wireTransport() == null ? inventory
                : withLive(inventory, List.of(), null);
    }

    /**
     * @param inventory an inventory
     * @param gears gear instances
     * @param wireTransport the wire transport, or null
     * @return the same inventory with these gear instances and this wire transport
     */
    public static Inventory withLive(Inventory inventory, List<Inventory.Gear> gears, Inventory.WireTransport wireTransport) {
        return new Inventory(inventory.bundles(), inventory.bundleDigests(), inventory.gearTypes(), gears,
                inventory.wires(), wireTransport, inventory.capabilities(), inventory.releases(), inventory.patch());
    }
}
