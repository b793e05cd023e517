package io.fluxrig.snake.api;

/**
 * The body of {@link SnakeRoute#RENEW}.
 *
 * @param csr a PKCS#10 request in PEM for a new key, with the rack's name as CN
 * @param natsKey the public key of a new NATS user key made on the rack, or null (see
 *     {@link EnrolRequest#natsKey()})
 */
public record RenewRequest(String csr, String natsKey) {

    /** A request without a NATS key. */
    public RenewRequest(String csr) {
        this(csr, null);
    }
}
