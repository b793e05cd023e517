package io.fluxrig.snake.api;

/**
 * The body of {@link SnakeRoute#ENROL}.
 *
 * @param token the one-time enrolment token
 * @param csr a PKCS#10 request in PEM, subject {@code CN=<rack name>}, for a key made on the rack
 * @param natsKey the public key ({@code U...}, an nkey) of a NATS user key made on the rack, or
 *     null: the Mixer answers with a user JWT for it ({@link EnrolReply#natsJwt()}); the seed
 *     never leaves the rack
 */
public record EnrolRequest(String token, String csr, String natsKey) {

    /** A request without a NATS key (the Mixer issues no NATS credential). */
    public EnrolRequest(String token, String csr) {
        this(token, csr, null);
    }
}
