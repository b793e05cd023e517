package io.fluxrig.mixer.http;

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
     * @return whether the inventory this Mixer stored (or handed to the registry's writer) is the
     *     one the digest names; the registry checks that the stored one is an object when it puts
     *     the live part in, and calls {@link #forget} otherwise
     */
    boolean holds(String rack, String digest, String connection) {
        Held h = held.get(rack);
        return digest != null && h != null && h.digest().equals(digest) && h.connection().equals(connection);
    }

    /**
     * The registry could not store the inventory of this digest (its write failed) or put a live
     * part into it: the rack's next heartbeat is answered without a digest and brings it whole.
     *
     * @param rack the rack
     * @param digest the digest, or null (nothing to forget)
     */
    void forget(String rack, String digest) {
        if (digest != null) {
            held.computeIfPresent(rack, (k, h) -> h.digest().equals(digest) ? null : h);
        }
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
}
