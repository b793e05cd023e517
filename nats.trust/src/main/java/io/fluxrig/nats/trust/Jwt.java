package io.fluxrig.nats.trust;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * NATS JWTs (version 2, as nats-server 2.9 reads them): {@code base64url(header) . base64url(claims)
 * . base64url(signature)}, header {@code {"typ":"JWT","alg":"ed25519-nkey"}}, the signature the
 * issuer's nkey over the first two parts, {@code jti} the base32 of the SHA-256 of the claims
 * without it. Stateless.
 */
public final class Jwt {
    private static final String HEADER = b64(Json.write(headerMap()).getBytes(StandardCharsets.UTF_8));

    private Jwt() {
    }

    private static Map<String, Object> headerMap() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("typ", "JWT");
        h.put("alg", "ed25519-nkey");
        return h;
    }

    /**
     * @param claims the claims without {@code jti} ({@code iss} must be the issuer's public key)
     * @param issuer signs it
     * @return the encoded JWT
     */
    static String sign(Map<String, Object> claims, NKeyPair issuer) {
        if (!issuer.publicKey().equals(claims.get("iss"))) {
            throw new IllegalArgumentException("iss " + claims.get("iss") + " is not the signer " + issuer.publicKey());
        }
        Map<String, Object> withId = new LinkedHashMap<>();
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(Json.write(claims).getBytes(StandardCharsets.UTF_8));
            withId.put("jti", Base32.encode(hash));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        withId.putAll(claims);
        String body = b64(Json.write(withId).getBytes(StandardCharsets.UTF_8));
        String signed = HEADER + "." + body;
        return signed + "." + b64(issuer.sign(signed.getBytes(StandardCharsets.UTF_8)));
    }

    /** @return the claims part of a JWT as JSON text (not verified) */
    public static String claimsJson(String jwt) {
        String[] parts = jwt.trim().split("\\.");
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a JWT: " + parts.length + " parts instead of 3");
        }
        return new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    }

    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("\"name\"\\s*:\\s*\"([^\"\\\\]*)\"");

    /**
     * @return the {@code name} claim of a JWT (not verified: the server checks the JWT; this only
     *     says which name it carries), or null when it has none without escapes
     */
    public static String name(String jwt) {
        java.util.regex.Matcher m = NAME.matcher(claimsJson(jwt));
        return m.find() ? m.group(1) : null;
    }

    /** @return true when the JWT's signature is {@code issuer}'s */
    public static boolean signedBy(String jwt, String issuer) {
        String[] parts = jwt.trim().split("\\.");
        return parts.length == 3 && NKeyPair.verify(issuer, (parts[0] + "." + parts[1]).getBytes(StandardCharsets.UTF_8),
                Base64.getUrlDecoder().decode(parts[2]));
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
