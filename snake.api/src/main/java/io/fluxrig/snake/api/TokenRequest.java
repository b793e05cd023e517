package io.fluxrig.snake.api;

import java.util.Map;

/**
 * The body of {@code POST} {@link OperatorPaths#TOKENS}.
 *
 * @param rack the only rack name the token may enrol, or null for any (a {@link RackNames} name)
 * @param labels labels given to the rack's record
 * @param ttl how long the token is valid: {@code 90s}, {@code 30m}, {@code 1h}, {@code 2d}
 *        (at most 7d), null for 1h
 */
public record TokenRequest(String rack, Map<String, String> labels, String ttl) {
}
