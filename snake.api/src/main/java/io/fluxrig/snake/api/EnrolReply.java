package io.fluxrig.snake.api;

/**
 * The answer to {@link SnakeRoute#ENROL}.
 *
 * @param rack the enrolled rack's name
 * @param certificate the rack certificate and the CA, in PEM, leaf first
 * @param ca the Mixer CA in PEM
 */
public record EnrolReply(String rack, String certificate, String ca) {
}
