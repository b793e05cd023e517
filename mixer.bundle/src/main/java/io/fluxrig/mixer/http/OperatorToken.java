package io.fluxrig.mixer.http;

import io.fluxrig.snake.api.tls.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The operator API's bearer token. Generated at first start (32 random bytes), printed once, and
 * stored only as its SHA-256 in {@code <data>/api-token.sha256} (mode 0600). A high-entropy
 * random token needs no slow hash; comparison is constant-time. Immutable, thread-safe.
 */
public final class OperatorToken {
    static final String FILE = "api-token.sha256";
    private final byte[] hash;

    private OperatorToken(byte[] hash) {
        this.hash = hash;
    }

    /**
     * @param dir the Mixer data folder
     * @param random randomness
     * @param firstStart receives the new token when one is generated (print it once)
     * @return the verifier
     * @throws IOException when the file cannot be read or written
     */
    public static OperatorToken loadOrCreate(Path dir, SecureRandom random, java.util.function.Consumer<String> firstStart)
            throws IOException {
        Path file = dir.resolve(FILE);
        if (Files.exists(file)) {
            return new OperatorToken(HexFormat.of().parseHex(Files.readString(file).trim()));
        }
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String token = "frm_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        byte[] h = sha256(token);
        Pem.write(file, HexFormat.of().formatHex(h) + "\n", true);
        firstStart.accept(token);
        return new OperatorToken(h);
    }

    /**
     * @param authorization the {@code Authorization} header, may be null
     * @return whether it carries the operator token
     */
    public boolean accepts(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        return MessageDigest.isEqual(hash, sha256(authorization.substring(7).trim()));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
