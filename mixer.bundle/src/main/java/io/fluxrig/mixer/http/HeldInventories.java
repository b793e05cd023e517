package io.fluxrig.mixer.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which inventory digest this Mixer holds for each rack (see the contract's {@code Heartbeat}):
 * the digest of the last full inventory a rack sent and the registry stored, and the connection
 * it came on. Kept in memory only: after a restart this Mixer holds none, and each rack's next
 * heartbeat brings its full inventory again. Per connection, because while a rack's connection
 * lasts only this Mixer receives its heartbeats, so no other Mixer sharing the registry can have
 * stored a different inventory for it meanwhile; a rack on a new connection sends its inventory
 * once more.
 *
 * <p>Thread-safe (Jetty's threads): one entry per rack, replaced whole.
 */
final class HeldInventories {
    private record Held(String digest, String connection) {
    }

    private final Map<String, Held> held = new ConcurrentHashMap<>();

    /**
     * @param rack the rack
     * @param digest the digest its heartbeat names
     * @param connection the connection it came on
     * @param stored the inventory the registry holds for it, or null
     * @return whether the stored inventory is the one the digest names
     */
    boolean holds(String rack, String digest, String connection, JsonNode stored) {
        Held h = held.get(rack);
        return digest != null && stored instanceof ObjectNode && h != null && h.digest().equals(digest)
                && h.connection().equals(connection);
    }

    /** @param rack the rack @return the digest this Mixer holds for it (on any connection), or null */
    String digest(String rack) {
        Held h = held.get(rack);
        return h == null ? null : h.digest();
    }

    /**
     * The registry stored a full inventory.
     *
     * @param rack the rack
     * @param digest its digest, or null from a rack that names none
     * @param connection the connection it came on
     */
    void stored(String rack, String digest, String connection) {
        if (digest == null) {
            held.remove(rack);
        } else {
            held.put(rack, new Held(digest, connection));
        }
    }

    /**
     * @param stored the inventory the registry holds (an object)
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
