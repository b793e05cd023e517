package io.fluxrig.snake.api;

/**
 * The answer to {@link SnakeRoute#CA}.
 *
 * @param ca the Mixer CA certificate in PEM
 * @param caHash {@code sha256:<hex>} of its DER encoding: what a rack pins at enrolment
 */
public record CaInfo(String ca, String caHash) {
}
