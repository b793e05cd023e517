package io.fluxrig.mixer.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * One-time, expiring enrolment tokens. A token is 32 random bytes (base64url); only its SHA-256
 * is stored. Consuming a token is a compare-and-set on the entry's revision, so of two racks
 * racing with one token exactly one wins. Thread-safe.
 */
public final class TokenStore {
    private final KeyValue kv;
    private final ObjectMapper json;

    TokenStore(KeyValue kv, ObjectMapper json) {
        this.kv = kv;
        this.json = json;
    }

    /** Why a token was refused; the text is what the rack is told. */
    public static final class TokenRefused extends Exception {
        private static final long serialVersionUID = 1L;

        TokenRefused(String reason) {
            super(reason);
        }
    }

    /**
     * @param random randomness
     * @param record what the token allows
     * @return the token text, the only time it exists outside the caller
     * @throws IOException when NATS fails
     */
    public String mint(SecureRandom random, TokenRecord record) throws IOException {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        try {
            kv.create(key(token), json.writeValueAsBytes(record));
        } catch (JetStreamApiException e) {
            throw new IOException("storing the token failed: " + e.getMessage(), e);
        }
        return token;
    }

    /**
     * Looks a token up and checks it is usable, without consuming it.
     *
     * @param token the token text
     * @param now epoch millis
     * @return the record
     * @throws TokenRefused "unknown token", "token already used" or "token expired"
     * @throws IOException when NATS fails
     */
    public TokenRecord check(String token, long now) throws TokenRefused, IOException {
        return checkEntry(token, now).record;
    }

    /**
     * Consumes a token: after this, it is refused as used.
     *
     * @param token the token text
     * @param rack the rack that used it
     * @param now epoch millis
     * @return the record as it was before use
     * @throws TokenRefused when it was not usable, or another enrolment consumed it first
     * @throws IOException when NATS fails
     */
    public TokenRecord consume(String token, String rack, long now) throws TokenRefused, IOException {
        Checked c = checkEntry(token, now);
        TokenRecord r = c.record;
        TokenRecord used = new TokenRecord(r.rack(), r.labels(), r.createdAt(), r.expiresAt(), true, rack);
        try {
            kv.update(key(token), json.writeValueAsBytes(used), c.revision);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != KvWriteErrors.CAS_LOST) {
                throw new IOException("using the token failed: " + e.getMessage(), e);
            }
            throw new TokenRefused("token already used"); // lost the compare-and-set race
        }
        return r;
    }

    /**
     * Gives a consumed token back (the enrolment it was consumed for lost the registry's
     * compare-and-set, so nothing was issued under it). Only a token this enrolment consumed is
     * restored: a compare-and-set on the entry, which must still say used by {@code rack}.
     *
     * @param token the token text
     * @param rack the rack name it was consumed for
     * @return whether it is usable again
     * @throws IOException when NATS fails
     */
    public boolean restore(String token, String rack) throws IOException {
        try {
            KeyValueEntry e = kv.get(key(token));
            if (e == null || e.getValue() == null) {
                return false;
            }
            TokenRecord r = json.readValue(e.getValue(), TokenRecord.class);
            if (!r.used() || !rack.equals(r.usedBy())) {
                return false;
            }
            kv.update(key(token), json.writeValueAsBytes(new TokenRecord(r.rack(), r.labels(), r.createdAt(), r.expiresAt(),
                    false, null)), e.getRevision());
            return true;
        } catch (JetStreamApiException e) {
            return false;
        }
    }

    private record Checked(TokenRecord record, long revision) {
    }

    private Checked checkEntry(String token, long now) throws TokenRefused, IOException {
        if (token == null || !token.matches("[A-Za-z0-9_-]{43}")) {
            throw new TokenRefused("unknown token");
        }
        KeyValueEntry e;
        try {
            e = kv.get(key(token));
        } catch (JetStreamApiException ex) {
            throw new IOException("reading the token failed: " + ex.getMessage(), ex);
        }
        if (e == null || e.getValue() == null) {
            throw new TokenRefused("unknown token");
        }
        TokenRecord r = json.readValue(e.getValue(), TokenRecord.class);
        if (r.used()) {
            throw new TokenRefused("token already used");
        }
        if (now >= r.expiresAt()) {
            throw new TokenRefused("token expired");
        }
        return new Checked(r, e.getRevision());
    }

    static String key(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    /** @param labels labels @return an unmodifiable copy, never null */
    public static Map<String, String> copy(Map<String, String> labels) {
        return labels == null ? Map.of() : Map.copyOf(labels);
    }
}
