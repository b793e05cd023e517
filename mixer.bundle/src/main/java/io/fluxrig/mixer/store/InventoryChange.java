package io.fluxrig.mixer.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What one heartbeat does to a rack's stored inventory: nothing ({@link #keep}), replaces it
 * ({@link #replace}: a full inventory), or puts a new live part (gear instances, wire transport)
 * into it ({@link #live}: a digest-only heartbeat whose digest names the stored inventory).
 * Immutable.
 *
 * @param full the new inventory (a JSON null: none), or null when this is no replacement
 * @param gears the live part's gear instances when {@code live}
 * @param wire the live part's wire transport, null when the rack has none
 * @param live whether this is a live-part change
 * @param unheld run when the registry could not put this change in place (its write failed, or
 *        the stored inventory was not an object to put a live part into): the heartbeat's sender
 *        must then be asked for its full inventory again
 * @param digest the rack's digest of {@code full} (snake.api {@code InventoryDigest}: its stable
 *        part, without the live part), or null when the heartbeat named none
 */
public record InventoryChange(JsonNode full, JsonNode gears, JsonNode wire, boolean live, Runnable unheld, String digest) {
    private static final Runnable NOTHING = () -> { };
    private static final InventoryChange KEEP = new InventoryChange(null, null, null, false, NOTHING, null);

    /** @return no change to the stored inventory */
    public static InventoryChange keep() {
        return KEEP;
    }

    /**
     * @param inventory the full inventory a heartbeat sent, or null for none (a rack that names no
     *     digest and sends no inventory: the stored one is cleared)
     * @param unheld run when it could not be stored
     * @return a replacement
     */
    public static InventoryChange replace(JsonNode inventory, Runnable unheld) {
        return replace(inventory, null, unheld);
    }

    /**
     * @param inventory the full inventory a heartbeat sent, or null for none
     * @param digest the digest the heartbeat named for it, or null
     * @param unheld run when it could not be stored
     * @return a replacement
     */
    public static InventoryChange replace(JsonNode inventory, String digest, Runnable unheld) {
        return new InventoryChange(inventory == null ? NullNode.getInstance() : inventory, null, null, false, unheld,
                inventory == null ? null : digest);
    }

    /**
     * @param gears the gear instances of a digest-only heartbeat
     * @param wire its wire transport, or null
     * @param unheld run when the stored inventory could not take them
     * @return a live-part change
     */
    public static InventoryChange live(JsonNode gears, JsonNode wire, Runnable unheld) {
        return new InventoryChange(null, gears, wire, true, unheld, null);
    }

    /**
     * @param newer a later heartbeat's change of the same rack
     * @return both in order, as one change: a later full inventory wins, a later live part goes into
     *     an earlier full inventory, a later {@code keep} keeps the earlier change
     */
    public InventoryChange then(InventoryChange newer) {
        Runnable both = unheld == NOTHING ? newer.unheld : newer.unheld == NOTHING ? unheld : () -> {
            unheld.run();
            newer.unheld.run();
        };
        if (newer.full != null) {
            return new InventoryChange(newer.full, null, null, false, both, newer.digest);
        }
        if (newer.live) { // a live part leaves the stable part, and so its digest, as it was
            return full instanceof ObjectNode ? new InventoryChange(withLive(full, newer.gears, newer.wire), null, null, false, both,
                    digest) : new InventoryChange(null, newer.gears, newer.wire, true, both, null);
        }
        return new InventoryChange(full, gears, wire, live, both, digest);
    }

    /**
     * @param stored the rack's digest of the stored inventory, or null when unknown
     * @return the rack's digest of the inventory after this change, or null when unknown
     */
    String digestAfter(String stored) {
        if (full != null) {
            return full.isNull() ? null : digest;
        }
        return stored; // nothing, or a live part: the stable part is the stored one
    }

    /** @return whether applying this needs the stored inventory (a live part, or nothing to replace it with) */
    boolean needsStored() {
        return full == null;
    }

    /**
     * @param stored the inventory the registry holds, or null
     * @return the inventory after this change; the stored one when a live part has no object to go
     *     into (then {@link #unheld} has run)
     */
    JsonNode applyTo(JsonNode stored) {
        if (full != null) {
            return full.isNull() ? null : full;
        }
        if (!live) {
            return stored;
        }
        if (stored instanceof ObjectNode) {
            return withLive(stored, gears, wire);
        }
        unheld.run();
        return stored;
    }

    /**
     * @param stored an inventory (an object)
     * @param gears the gear instances of a digest-only heartbeat
     * @param wire its wire transport, or null when the rack has none
     * @return a copy of the stored inventory with this live part
     */
    static JsonNode withLive(JsonNode stored, JsonNode gears, JsonNode wire) {
        ObjectNode copy = ((ObjectNode) stored).deepCopy();
        copy.set("gears", gears);
        if (wire == null) {
            copy.remove("wireTransport");
        } else {
            copy.set("wireTransport", wire);
        }
        return copy;
    }
}
