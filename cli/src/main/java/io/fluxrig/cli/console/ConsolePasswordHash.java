package io.fluxrig.cli.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Hashes a Web Console password in the form the Felix Web Console accepts for
 * {@code felix.webconsole.password}: {@code {sha-256}<salt hex>-<iterations>-<base64 digest>},
 * where the digest is SHA-256 applied {@code iterations} times, first to the UTF-8 bytes of
 * salt followed by password, then to the previous digest. The rack never sees the plain
 * password; the hash alone is stored and passed on.
 */
public final class ConsolePasswordHash {
    static final int ITERATIONS = 1000;
    private static final int SALT_BYTES = 8;

    private ConsolePasswordHash() {
    }

    /**
     * @param password the plain password
     * @param random the source of the salt
     * @return the encoded hash
     */
    public static String hash(String password, SecureRandom random) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return hash(password, HexFormat.of().formatHex(salt), ITERATIONS);
    }

    static String hash(String password, String saltHex, int iterations) {
        byte[] bytes = (saltHex + password).getBytes(StandardCharsets.UTF_8);
        MessageDigest md = sha256();
        for (int i = 0; i < iterations; i++) {
            md.reset();
            bytes = md.digest(bytes);
        }
        return "{sha-256}" + saltHex + "-" + iterations + "-" + Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * @param password a plain password
     * @param encoded a hash made by {@link #hash(String, SecureRandom)}
     * @return whether the password matches the hash
     */
    public static boolean matches(String password, String encoded) {
        String prefix = "{sha-256}";
        if (!encoded.startsWith(prefix)) {
            return false;
        }
        String[] parts = encoded.substring(prefix.length()).split("-", 3);
        if (parts.length != 3) {
            return false;
        }
        int iterations;
        try {
            iterations = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            return false;
        }
        String expected = hash(password, parts[0], iterations);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                encoded.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
