package io.fluxrig.snake.api;

import io.fluxrig.snake.api.tls.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The operator API token's two files in the Mixer's data folder, written by the Mixer at first
 * start and by {@code fluxrig operator-token rotate}: the token itself, {@value #TOKEN} (mode 0600,
 * read by the operator commands), and what the Mixer checks it against, {@value #HASH} (mode
 * 0600): the token's SHA-256 in hex on the first line and, when the token expires, a line
 * {@code expires=<ISO-8601 instant>}. A token is 32 random bytes, so a fast hash is enough.
 * Stateless; a writer replaces each file whole (write, then rename).
 */
public final class OperatorTokenFiles {
    /** The token file's name in the Mixer's data folder. */
    public static final String TOKEN = "operator.token";
    /** The hash file's name in the Mixer's data folder. */
    public static final String HASH = "api-token.sha256";
    private static final String EXPIRES = "expires=";

    private OperatorTokenFiles() {
    }

    /**
     * What the Mixer keeps of the token.
     *
     * @param sha256 the token's SHA-256
     * @param expires when it stops being accepted, or null for never
     */
    public record Stored(byte[] sha256, Instant expires) {
    }

    /** @return a new token: {@code frm_} and 32 random bytes in base64url */
    public static String generate(SecureRandom random) {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        return "frm_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    /**
     * Writes a token: first its hash file (so the Mixer accepts it from then on), then the token file.
     *
     * @param data the Mixer's data folder
     * @param token the token
     * @param expires when it expires, or null for never
     */
    public static void write(Path data, String token, Instant expires) throws IOException {
        writeHash(data, token, expires);
        Pem.write(data.resolve(TOKEN), token + "\n", true);
    }

    /** Writes only the hash file (the Mixer at first start hands the token file over itself). */
    public static void writeHash(Path data, String token, Instant expires) throws IOException {
        Pem.write(data.resolve(HASH), HexFormat.of().formatHex(sha256(token)) + "\n" + (expires == null ? "" : EXPIRES + expires + "\n"), true);
    }

    /**
     * @param data the Mixer's data folder
     * @return the stored hash and expiry, or null when there is no hash file
     * @throws IOException when the file cannot be read or is malformed (naming the line)
     */
    public static Stored read(Path data) throws IOException {
        Path file = data.resolve(HASH);
        if (!Files.exists(file)) {
            return null;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        try {
            byte[] hash = HexFormat.of().parseHex(lines.get(0));
            Instant expires = null;
            for (String l : lines.subList(1, lines.size())) {
                if (l.startsWith(EXPIRES)) {
                    expires = Instant.parse(l.substring(EXPIRES.length()));
                }
            }
            if (hash.length != 32) {
                throw new IllegalArgumentException("line 1 is not a SHA-256 in hex");
            }
            return new Stored(hash, expires);
        } catch (RuntimeException e) {
            throw new IOException(file + ": malformed (" + e.getMessage() + ")", e);
        }
    }

    /** @return the SHA-256 of the token's UTF-8 bytes */
    public static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
