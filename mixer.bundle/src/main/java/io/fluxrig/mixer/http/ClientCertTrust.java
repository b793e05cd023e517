package io.fluxrig.mixer.http;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK's PKIX trust manager (trusting only the Mixer CA) with a clearer refusal text: a client
 * certificate refused because it expired (or is not yet valid) says so. The decision is the
 * JDK's. On the wire SunJSSE (JDK 17, TLS 1.3) always answers a refused client certificate with
 * the {@code certificate_unknown} alert, so the reason reaches the Mixer's log (see
 * {@link TlsServer}'s handshake listener), and the rack checks its own certificate's validity
 * before it connects. Immutable and thread-safe like its delegate.
 */
final class ClientCertTrust extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager pkix;

    ClientCertTrust(X509ExtendedTrustManager pkix) {
        this.pkix = pkix;
    }

    private static CertificateException explain(X509Certificate[] chain, CertificateException e) {
        try {
            if (chain != null && chain.length > 0) {
                chain[0].checkValidity();
            }
        } catch (CertificateExpiredException | CertificateNotYetValidException v) {
            return new CertificateException("client certificate " + (v instanceof CertificateExpiredException
                    ? "expired" : "not yet valid") + ": " + v.getMessage(), e);
        }
        return e;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        try {
            pkix.checkClientTrusted(chain, authType, socket);
        } catch (CertificateException e) {
            throw explain(chain, e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        try {
            pkix.checkClientTrusted(chain, authType, engine);
        } catch (CertificateException e) {
            throw explain(chain, e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        try {
            pkix.checkClientTrusted(chain, authType);
        } catch (CertificateException e) {
            throw explain(chain, e);
        }
    }

    // The Mixer only serves with this; a server chain is checked the same way, never waved through.
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        pkix.checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        pkix.checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        pkix.checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers();
    }
}
