package io.fluxrig.snake.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The body of {@link SnakeRoute#HEARTBEAT}, sent every period.
 *
 * <p>The inventory travels only when it changed. A rack names its inventory by
 * {@link InventoryDigest#of(Inventory) its digest} (which leaves out the gear instances, whose
 * counters move with every message) and sends:
 * <ul>
 * <li>the full {@code inventory} with its {@code inventoryDigest} when the digest differs from the
 *     one the Mixer's last {@link HeartbeatReply#inventoryDigest()} said it holds (the first
 *     heartbeat, a bundle or patch change, a new connection, a Mixer that forgot it);</li>
 * <li>otherwise only {@code inventoryDigest} and the live part, {@code gears} (states and
 *     counters) and {@code wireTransport}, which the Mixer puts into the inventory it holds.</li>
 * </ul>
 * A Mixer that does not hold the digest answers with the one it holds (or none), and the rack
 * sends the full inventory at once. A rack that predates digests sends {@code inventory} every
 * time and no digest: the Mixer stores each one as before. A Mixer that predates digests never
 * names one in its reply, so such a rack keeps sending the full inventory.
 *
 * @param heartbeatMillis the rack's period; the Mixer marks a rack offline after missing three
 *        (0 when not given: the Mixer assumes {@value #DEFAULT_PERIOD_MS} ms)
 * @param versions e.g. {@code java}, {@code fluxrig}
 * @param inventory what runs on the rack, or null (unchanged since the digest the Mixer holds, or
 *        nothing to report)
 * @param inventoryDigest {@link InventoryDigest#of(Inventory)} of the rack's current inventory, or
 *        null from a rack that does not name its inventory
 * @param gears the gear instances with their counters when {@code inventory} is null and a digest
 *        is given, else null
 * @param wireTransport the wire transport when {@code inventory} is null and a digest is given and
 *        the rack has one, else null
 * @param summary the rack's traffic over the last interval, in every heartbeat after the first
 *        ({@link RackSummary}), or null (the first heartbeat, or a rack that predates summaries)
 */
public record Heartbeat(long heartbeatMillis, Map<String, String> versions, Inventory inventory,
        @JsonInclude(JsonInclude.Include.NON_NULL) String inventoryDigest,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<Inventory.Gear> gears,
        @JsonInclude(JsonInclude.Include.NON_NULL) Inventory.WireTransport wireTransport,
        @JsonInclude(JsonInclude.Include.NON_NULL) RackSummary summary) {
    /** The period assumed when a heartbeat does not give one. */
    public static final long DEFAULT_PERIOD_MS = 5000;

    /** A heartbeat without a digest: the inventory (or nothing) every time. */
    public Heartbeat(long heartbeatMillis, Map<String, String> versions, Inventory inventory) {
        this(heartbeatMillis, versions, inventory, null, null, null, null);
    }

    /** A heartbeat without a summary. */
    public Heartbeat(long heartbeatMillis, Map<String, String> versions, Inventory inventory, String inventoryDigest,
            List<Inventory.Gear> gears, Inventory.WireTransport wireTransport) {
        this(heartbeatMillis, versions, inventory, inventoryDigest, gears, wireTransport, null);
    }

    /** Null versions become empty; gears are copied. */
    public Heartbeat {
        versions = versions == null ? Map.of() : Map.copyOf(versions);
        gears = gears == null ? null : List.copyOf(gears);
    }

    /** @return the period, or {@value #DEFAULT_PERIOD_MS} when not given */
    public long periodMillis() {
        return heartbeatMillis > 0 ? heartbeatMillis : DEFAULT_PERIOD_MS;
    }

    /**
     * @param digest the inventory's digest
     * @return this heartbeat with the full inventory and its digest
     */
    public Heartbeat withInventoryDigest(String digest) {
        return new Heartbeat(heartbeatMillis, versions, inventory, digest, null, null, summary);
    }

    /**
     * @param digest the digest of the inventory the Mixer holds
     * @return this heartbeat without the inventory: the digest and the inventory's live part only
     */
    public Heartbeat digestOnly(String digest) {
        return new Heartbeat(heartbeatMillis, versions, null, digest, inventory == null ? List.of() : inventory.gears(),
                inventory == null ? null : inventory.wireTransport(), summary);
    }

    /**
     * @param s the rack's traffic over the last interval, or null
     * @return this heartbeat with that summary
     */
    public Heartbeat withSummary(RackSummary s) {
        return new Heartbeat(heartbeatMillis, versions, inventory, inventoryDigest, gears, wireTransport, s);
    }
}
