package io.fluxrig.snake.api;

/**
 * The answer to {@code POST} {@link OperatorPaths#ARTIFACTS} and {@code GET} {@link OperatorPaths#artifact}.
 *
 * @param digest the artifact's {@link ArtifactDigest}
 * @param size its length in bytes
 */
public record ArtifactInfo(String digest, long size) {
}
