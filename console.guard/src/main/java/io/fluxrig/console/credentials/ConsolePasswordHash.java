package io.fluxrig.console.credentials;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A Web Console password hash: PBKDF2 with HMAC-SHA-256 (the JDK's {@code PBKDF2WithHmacSHA256}),
 * a random 16-byte salt and at least {@value #MIN_ITERATIONS} iterations, encoded as
 * {@code pbkdf2-sha256$ITERATIONS$SALT$KEY} (salt and 32-byte key in unpadded base64).
 *
 * <p>Slow on purpose: one hash or check costs a good part of a CPU second, so a stolen hash
 * cannot be searched cheaply. Callers that check a password on every request (HTTP Basic) keep
 * a fast cache of what they already accepted (see the console guard). Stateless, thread-safe.
 */
public final class ConsolePasswordHash {
    /** The prefix of every encoded hash. */
    public static final String SCHEME = "pbkdf2-sha256";
    /** The fewest iterations a hash may have to be accepted (OWASP's figure for PBKDF2-HMAC-SHA256). */
    public static final int MIN_ITERATIONS = 600_000;
    /** The shortest password {@link #hash} accepts. */
    public static final int MIN_PASSWORD_LENGTH = 8;
    private static final int SALT_BYTES = 16;
    private static final int KEY_BITS = 256;

    private ConsolePasswordHash() {
    }

    /**
     * @param password the plain password, at least {@value #MIN_PASSWORD_LENGTH} characters
     * @param random the source of the salt
     * @return the encoded hash with {@value #MIN_ITERATIONS} iterations
     * @throws IllegalArgumentException when the password is too short or is "admin"
     */
    public static String hash(char[] password, SecureRandom random) {
        String refused = problem(password);
        if (refused != null) {
            throw new IllegalArgumentException(refused);
        }
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return encode(MIN_ITERATIONS, salt, derive(password, salt, MIN_ITERATIONS));
    }

    /**
     * @param password a candidate password
     * @return why it may not be a console password, or null when it may
     */
    public static String problem(char[] password) {
        if (password.length < MIN_PASSWORD_LENGTH) {
            return "the console password must have at least " + MIN_PASSWORD_LENGTH + " characters";
        }
        if ("admin".contentEquals(java.nio.CharBuffer.wrap(password))) {
            return "the console password may not be 'admin'";
        }
        return null;
    }

    /**
     * @param encoded a stored hash
     * @return why it cannot be used (not this scheme, malformed, fewer than {@value #MIN_ITERATIONS}
     *         iterations), or null when it can
     */
    public static String invalid(String encoded) {
        if (encoded == null || encoded.isBlank()) {
            return "no password hash";
        }
        String[] parts = encoded.strip().split("\\$");
        if (parts.length != 4 || !SCHEME.equals(parts[0])) {
            return "not a " + SCHEME + "$ITERATIONS$SALT$KEY hash";
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            if (iterations < MIN_ITERATIONS) {
                return "the hash has " + iterations + " iterations, fewer than " + MIN_ITERATIONS;
            }
            if (Base64.getDecoder().decode(parts[2]).length < SALT_BYTES || Base64.getDecoder().decode(parts[3]).length != KEY_BITS / 8) {
                return "the hash's salt or key has the wrong length";
            }
        } catch (IllegalArgumentException e) {
            return "not a " + SCHEME + "$ITERATIONS$SALT$KEY hash (" + e.getMessage() + ")";
        }
        return null;
    }

    /**
     * @param password a plain password
     * @param encoded a hash that {@link #invalid} accepts
     * @return whether the password matches (compared in constant time); false for an invalid hash
     */
    public static boolean matches(char[] password, String encoded) {
        if (invalid(encoded) != null) {
            return false;
        }
        String[] parts = encoded.strip().split("\\$");
        int iterations = Integer.parseInt(parts[1]);
        byte[] salt = Base64.getDecoder().decode(parts[2]);
        byte[] expected = Base64.getDecoder().decode(parts[3]);
        return MessageDigest.isEqual(expected, derive(password, salt, iterations));
    }

    static String encode(int iterations, byte[] salt, byte[] key) {
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(key);
    }

    static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, KEY_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every Java platform", e);
        } finally {
            spec.clearPassword();
        }
    }
}
