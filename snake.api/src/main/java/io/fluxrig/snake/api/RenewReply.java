package io.fluxrig.snake.api;

/**
 * The answer to {@link SnakeRoute#RENEW}.
 *
 * @param rack the rack's name
 * @param certificate the new certificate and the CA, in PEM, leaf first
 * @param natsJwt the rack's new NATS user JWT for the request's {@code natsKey}, expiring with the
 *     new certificate, or null
 */
public record RenewReply(String rack, String certificate, String natsJwt) {

    /** A reply without a NATS credential. */
    public RenewReply(String rack, String certificate) {
        this(rack, certificate, null);
    }
}
