package io.fluxrig.snake.api;

import java.util.regex.Pattern;

/**
 * How artifacts are named: {@code sha256:} and the 64 lower-case hex digits of the SHA-256 of
 * their bytes. Stateless.
 */
public final class ArtifactDigest {
    /** The prefix of every digest. */
    public static final String PREFIX = "sha256:";
    /** A whole digest. */
    public static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    /** The hex part alone. */
    public static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
    /** What a digest looks like, for refusals. */
    public static final String RULE = "sha256:<64 lower-case hex>";

    private ArtifactDigest() {
    }

    /** @param digest a text @return whether it is a digest */
    public static boolean valid(String digest) {
        return digest != null && DIGEST.matcher(digest).matches();
    }

    /** @param digest a {@link #valid} digest @return its 64 hex digits */
    public static String hex(String digest) {
        if (!valid(digest)) {
            throw new IllegalArgumentException("'" + digest + "' is not " + RULE);
        }
        return digest.substring(PREFIX.length());
    }
}
