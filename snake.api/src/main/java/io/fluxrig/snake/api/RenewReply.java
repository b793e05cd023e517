package io.fluxrig.snake.api;

/**
 * The answer to {@link SnakeRoute#RENEW}.
 *
 * @param rack the rack's name
 * @param certificate the new certificate and the CA, in PEM, leaf first
 */
public record RenewReply(String rack, String certificate) {
}
