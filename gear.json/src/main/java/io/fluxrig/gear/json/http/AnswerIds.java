package io.fluxrig.gear.json.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * The id of json.http's answer to a request, computed from the request's id and the gear
 * instance instead of drawn at random: a request delivered twice (a wire redelivers after a rack
 * restart; at least once) gets an answer with the same id, so the next wire's {@code Nats-Msg-Id}
 * dedupe keeps only the first answer. The result keeps the UUIDv7 layout: the request's 48-bit
 * millisecond timestamp (answers stay time-ordered), version 7, RFC 4122 variant, and 74 bits
 * from SHA-256 of instance and request id. Stateless and thread-safe.
 */
final class AnswerIds {
    private AnswerIds() {
    }

    /**
     * @param instance the gear instance (two instances answering the same request differ)
     * @param request the request's id
     * @return the answer's id, the same for the same arguments
     */
    static UUID of(String instance, UUID request) {
        byte[] h = sha256("json.http/" + instance + "/" + request);
        ByteBuffer b = ByteBuffer.wrap(h);
        long msb = (request.getMostSignificantBits() & 0xFFFF_FFFF_FFFF_0000L) | 0x7000L | (b.getShort(0) & 0x0FFF);
        long lsb = 0x8000_0000_0000_0000L | (b.getLong(2) & 0x3FFF_FFFF_FFFF_FFFFL);
        return new UUID(msb, lsb);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
