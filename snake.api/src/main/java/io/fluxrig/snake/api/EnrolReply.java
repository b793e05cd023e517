package io.fluxrig.snake.api;

/**
 * The answer to {@link SnakeRoute#ENROL}.
 *
 * @param rack the enrolled rack's name
 * @param certificate the rack certificate and the CA, in PEM, leaf first
 * @param ca the Mixer CA in PEM
 * @param natsJwt the rack's NATS user JWT for the request's {@code natsKey} (a rack of the wires
 *     account, expiring with the certificate), or null when none was asked for or the Mixer
 *     signs no NATS credentials
 */
public record EnrolReply(String rack, String certificate, String ca, String natsJwt) {

    /** A reply without a NATS credential. */
    public EnrolReply(String rack, String certificate, String ca) {
        this(rack, certificate, ca, null);
    }
}
