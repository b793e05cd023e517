package io.fluxrig.mixer.store;

import java.util.Map;

/**
 * One enrolment token as stored in {@code fluxrig_mixer_tokens}, keyed by the hex SHA-256 of the
 * token: the token itself is never stored, so reading the bucket does not let anyone enrol.
 *
 * @param rack the rack name the token is bound to, or null (the CSR's CN is taken)
 * @param labels labels given to the rack
 * @param createdAt epoch millis
 * @param expiresAt epoch millis
 * @param used whether it was consumed
 * @param usedBy the rack that consumed it, or null
 */
public record TokenRecord(String rack, Map<String, String> labels, long createdAt, long expiresAt, boolean used,
        String usedBy) {
}
