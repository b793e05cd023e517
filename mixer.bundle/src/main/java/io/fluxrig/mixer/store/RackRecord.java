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
 */
public record RackRecord(String name, Map<String, String> labels, String state, long firstSeen, long lastSeen,
        String address, String certSerial, long certNotAfter, long heartbeatMillis, Map<String, String> versions,
        JsonNode inventory, String reason) {
    public static final String PENDING = "pending";
    public static final String ONLINE = "online";
    public static final String OFFLINE = "offline";
    public static final String REVOKED = "revoked";

    /** @param s the new state @param why the reason @return a copy */
    public RackRecord withState(String s, String why) {
        return new RackRecord(name, labels, s, firstSeen, lastSeen, address, certSerial, certNotAfter, heartbeatMillis,
                versions, inventory, why);
    }
}
