package io.fluxrig.snake.api;

/**
 * The body of {@link SnakeRoute#ENROL}.
 *
 * @param token the one-time enrolment token
 * @param csr a PKCS#10 request in PEM, subject {@code CN=<rack name>}, for a key made on the rack
 */
public record EnrolRequest(String token, String csr) {
}
