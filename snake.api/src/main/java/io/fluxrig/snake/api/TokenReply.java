package io.fluxrig.snake.api;

/**
 * The answer to {@code POST} {@link OperatorPaths#TOKENS}.
 *
 * @param token the one-time token (shown once; the Mixer keeps only its hash)
 * @param rack the rack it is for, or null for any
 * @param expiresAt epoch millis
 * @param caHash the CA hash racks pin
 * @param command the rack start command that uses it
 */
public record TokenReply(String token, String rack, long expiresAt, String caHash, String command) {
}
