package io.fluxrig.mixer.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * One rack in the registry bucket {@code fluxrig_mixer_racks}, keyed by rack name. Immutable: an
 * update writes a new record with compare-and-set on the KV revision.
 *
 * @param name the rack name (certificate subject CN)
 * @param labels operator labels from the token
 * @param state {@code pending}, {@code online}, {@code offline} or {@code revoked}
 * @param firstSeen epoch millis of enrolment
 * @param lastSeen epoch millis of the last heartbeat (0 before the first)
 * @param address remote address of the last heartbeat
 * @param certSerial hex serial of the one certificate accepted for this rack
 * @param certNotAfter epoch millis when that certificate expires
 * @param heartbeatMillis the rack's heartbeat period (for the offline rule)
 * @param versions versions the rack reported (java, fluxrig runtime)
 * @param inventory the last inventory, as sent
 * @param reason why the state last changed (e.g. who revoked)
 * @param previousSerial hex serial of the certificate a renewal replaced, still accepted until the
 *        rack is first seen with the new one (null otherwise); see {@code SnakeHandler}
 */
public record RackRecord(String name, Map<String, String> labels, String state, long firstSeen, long lastSeen,
        String address, String certSerial, long certNotAfter, long heartbeatMillis, Map<String, String> versions,
        JsonNode inventory, String reason, String previousSerial) {
    public static final String PENDING = "pending";
    public static final String ONLINE = "online";
    public static final String OFFLINE = "offline";
    public static final String REVOKED = "revoked";

    /** A record with no renewal in progress (enrolment and callers that predate renewal). */
    public RackRecord(String name, Map<String, String> labels, String state, long firstSeen, long lastSeen,
            String address, String certSerial, long certNotAfter, long heartbeatMillis, Map<String, String> versions,
            JsonNode inventory, String reason) {
        this(name, labels, state, firstSeen, lastSeen, address, certSerial, certNotAfter, heartbeatMillis, versions,
                inventory, reason, null);
    }

    /**
     * @param serial a presented certificate's hex serial
     * @return whether it is the current one, or the one a renewal replaced and not yet retired
     */
    public boolean accepts(String serial) {
        return serial.equals(certSerial) || serial.equals(previousSerial);
    }

    /** @param serial the new certificate @param notAfter its expiry @param replaced the serial it replaces @return a copy */
    public RackRecord renewed(String serial, long notAfter, String replaced) {
        return new RackRecord(name, labels, state, firstSeen, lastSeen, address, serial, notAfter, heartbeatMillis,
                versions, inventory, reason, replaced);
    }

    /** @param t epoch millis of a heartbeat @return a copy seen then */
    public RackRecord seenAt(long t) {
        return new RackRecord(name, labels, state, firstSeen, t, address, certSerial, certNotAfter, heartbeatMillis,
                versions, inventory, reason, previousSerial);
    }

    /** @param i an inventory @return a copy with it */
    public RackRecord withInventory(JsonNode i) {
        return new RackRecord(name, labels, state, firstSeen, lastSeen, address, certSerial, certNotAfter, heartbeatMillis,
                versions, i, reason, previousSerial);
    }

    /** @param s the new state @param why the reason @return a copy */
    public RackRecord withState(String s, String why) {
        return new RackRecord(name, labels, s, firstSeen, lastSeen, address, certSerial, certNotAfter, heartbeatMillis,
                versions, inventory, why, previousSerial);
    }
}
