package io.fluxrig.snake.api;

/**
 * The body of {@link SnakeRoute#RENEW}.
 *
 * @param csr a PKCS#10 request in PEM for a new key, with the rack's name as CN
 */
public record RenewRequest(String csr) {
}
