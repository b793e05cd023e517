package io.fluxrig.snake.api;

/**
 * The body of {@link OperatorPaths#OPERATOR_TOKEN_ROTATE}.
 *
 * @param ttl when the new token expires: N followed by m, h or d (e.g. {@code 90d}); null for never
 */
public record OperatorTokenRequest(String ttl) {
}
