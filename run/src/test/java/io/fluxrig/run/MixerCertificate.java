package io.fluxrig.run;

import io.fluxrig.snake.api.tls.Pem;
import io.fluxrig.snake.api.tls.TlsContexts;
import java.net.URI;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/** The certificate a Mixer HTTPS endpoint presents, accepted only if it chains to the Mixer CA. */
final class MixerCertificate {
    private MixerCertificate() {
    }

    /**
     * Handshakes with the endpoint trusting only {@code ca} (and checking the host name), and
     * returns the server certificate's public key pin in the form Chromium's
     * {@code --ignore-certificate-errors-spki-list} takes: base64 of SHA-256 of the SPKI.
     */
    static String spkiPin(String url, Path ca) throws Exception {
        SSLContext ctx = TlsContexts.trusting(Pem.readCertificate(ca));
        URI u = URI.create(url);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(u.getHost(), u.getPort())) {
            var p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(p);
            s.startHandshake();
            X509Certificate server = (X509Certificate) s.getSession().getPeerCertificates()[0];
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(server.getPublicKey().getEncoded()));
        }
    }
}
