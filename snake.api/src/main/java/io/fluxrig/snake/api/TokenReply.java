package io.fluxrig.snake.api;

/**
 * The answer to {@code POST} {@link OperatorPaths#TOKENS}.
 *
 * @param token the one-time token (shown once; the Mixer keeps only its hash)
 * @param rack the rack it is for, or null for any
 * @param expiresAt epoch millis
 * @param caHash the CA hash racks pin
 * @param command the rack start command for it ({@code run/fluxrig rack --name R --mixer H:P --token --ca-hash H}): it
 *     holds no token, the rack asks for it
 */
public record TokenReply(String token, String rack, long expiresAt, String caHash, String command) {
}
