package io.fluxrig.rack.snake;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.net.Socket;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import io.fluxrig.snake.api.tls.MixerServerCheck;

/**
 * First contact trust, as {@code kubeadm join --discovery-token-ca-cert-hash}: the Mixer's server
 * chain is accepted only if it contains a certificate whose SHA-256 equals the pinned hash and the
 * server certificate validates (PKIX) against that certificate as the only trust anchor. No
 * system CA is trusted. Then {@link MixerServerCheck}: the server certificate must carry the
 * serverAuth usage and a subject alternative name for the address dialled (a rack certificate
 * from the same CA, even one named like the Mixer's host, is refused). Immutable.
 */
final class PinnedCaTrust extends X509ExtendedTrustManager {
    private final String pinned;

    /** @param pinned {@code sha256:<hex>} */
    PinnedCaTrust(String pinned) {
        this.pinned = pinned.toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkPinned(chain);
        MixerServerCheck.check(chain[0], engine == null ? null : engine.getPeerHost());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("the Snake dials with the JDK HTTP client (an SSLEngine) only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the dialled address is needed to check the Mixer's certificate");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkPinned(chain); // the rack only dials with this; a client chain is held to the pinned CA too
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkPinned(chain); // the rack only dials with this; a client chain is held to the pinned CA too
    }

    private void checkPinned(X509Certificate[] chain) throws CertificateException {
        List<String> seen = new ArrayList<>();
        try {
            for (X509Certificate c : chain) {
                String h = io.fluxrig.snake.api.tls.Pem.hash(c);
                seen.add(h);
                if (h.equals(pinned)) {
                    PKIXParameters p = new PKIXParameters(Set.of(new TrustAnchor(c, null)));
                    p.setRevocationEnabled(false); // a private CA without CRLs; revocation is the Mixer's registry
                    CertPathValidator.getInstance("PKIX").validate(
                            CertificateFactory.getInstance("X.509").generateCertPath(List.of(chain[0])), p);
                    return;
                }
            }
        } catch (GeneralSecurityException e) {
            throw new CertificateException("the Mixer's certificate does not validate against the pinned CA: " + e.getMessage(), e);
        }
        throw new CertificateException("Mixer CA hash mismatch: pinned " + pinned + ", the Mixer presented " + seen);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        checkPinned(chain); // the rack only dials with this; a client chain is held to the pinned CA too
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
