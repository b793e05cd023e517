package io.fluxrig.mixer.ca;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * The Mixer's TLS server identity: a key that never leaves the process and its chain
 * (server certificate, then the CA certificate, so racks can pin the CA from the handshake).
 *
 * @param key the private key
 * @param chain leaf first
 */
public record ServerIdentity(PrivateKey key, X509Certificate[] chain) {
}
