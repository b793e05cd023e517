package io.fluxrig.snake.api.tls;

import java.io.IOException;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The one way the Snake, the operator API and the NATS clients build their TLS: TLS 1.3 only (NATS
 * clients: TLS 1.3 offered first, see {@link #verifyingServer}), one CA as the only trust anchor (no
 * system CA is ever trusted), key material held in memory only. Used by the Mixer's Snake server and
 * its endpoint probe, the rack's Snake client, every NATS client (wire transport, Mixer, CLI,
 * benchmarks), and the tests.
 * Stateless; every context returned is new and thread-safe.
 */
public final class TlsContexts {
    /** The only protocol offered or accepted. */
    public static final String PROTOCOL = "TLSv1.3";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private TlsContexts() {
    }

    /**
     * @param ca the only trust anchor
     * @return a PKIX trust manager trusting only {@code ca} (chains must lead to it and be valid now)
     * @throws GeneralSecurityException when the JDK has no PKIX trust manager
     */
    public static X509ExtendedTrustManager trustOnly(X509Certificate ca) throws GeneralSecurityException {
        KeyStore ts = store();
        ts.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ts);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("the JDK offers no PKIX X509ExtendedTrustManager");
    }

    /**
     * @param key the private key
     * @param chain its certificate, leaf first, then the issuers
     * @return key managers presenting that identity
     * @throws GeneralSecurityException when the key does not fit the chain
     */
    public static KeyManager[] keyManagers(PrivateKey key, X509Certificate... chain) throws GeneralSecurityException {
        char[] pw = new char[0]; // in-memory store only, never written
        KeyStore ks = store();
        ks.setKeyEntry("key", key, pw, chain);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(ks, pw);
        return kmf.getKeyManagers();
    }

    /**
     * @param keys what to present, or null to present nothing
     * @param trust how to check the peer
     * @return a TLS 1.3 context
     * @throws GeneralSecurityException when the JDK has no TLS 1.3
     */
    public static SSLContext context(KeyManager[] keys, TrustManager trust) throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance(PROTOCOL);
        ctx.init(keys, new TrustManager[] {trust}, new SecureRandom());
        return ctx;
    }

    /**
     * @param ca the only trust anchor
     * @return a client context that presents no certificate and trusts only {@code ca}
     * @throws GeneralSecurityException when the material is invalid
     */
    public static SSLContext trusting(X509Certificate ca) throws GeneralSecurityException {
        return context(null, trustOnly(ca));
    }

    /**
     * @param key the private key
     * @param chain its certificate chain, leaf first
     * @param ca the only trust anchor for the peer
     * @return a context that presents the key and trusts only {@code ca} (either end of mutual TLS)
     * @throws GeneralSecurityException when the material is invalid
     */
    public static SSLContext mutual(PrivateKey key, X509Certificate[] chain, X509Certificate ca) throws GeneralSecurityException {
        return context(keyManagers(key, chain), trustOnly(ca));
    }

    /**
     * A client context for a TLS server that is not the Mixer (a NATS server): trusts only {@code ca}
     * and requires of the server's certificate what {@link MixerServerCheck} requires (the serverAuth
     * usage and a subject alternative name for the host or IP address dialled), since a NATS client
     * (jnats) checks no host name itself. The client offers TLS 1.3 first; a client that does not
     * take {@link #parameters()} (jnats) may still accept TLS 1.2 from a server that offers no more.
     *
     * @param ca the only trust anchor, e.g. the CA file named by a NATS client's settings
     * @param server what the server is, for the messages (e.g. {@code "a NATS server"})
     * @return a context presenting no certificate
     * @throws GeneralSecurityException when the JDK has no TLS 1.3 or PKIX
     */
    public static SSLContext verifyingServer(X509Certificate ca, String server) throws GeneralSecurityException {
        return context(null, MixerServerCheck.wrap(trustOnly(ca), server));
    }

    /** @return parameters offering TLS 1.3 only */
    public static SSLParameters parameters() {
        SSLParameters p = new SSLParameters();
        p.setProtocols(new String[] {PROTOCOL});
        return p;
    }

    /**
     * @param ctx the TLS context
     * @return a JDK client speaking HTTP/2 (ALPN h2, falling back to HTTP/1.1) over TLS 1.3, with a
     *         10 s connect timeout; its requests share one connection per host
     */
    public static HttpClient http2(SSLContext ctx) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(ctx).sslParameters(parameters())
                .connectTimeout(CONNECT_TIMEOUT).build();
    }

    private static KeyStore store() throws GeneralSecurityException {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            return ks;
        } catch (IOException e) {
            throw new GeneralSecurityException("an empty in-memory key store cannot be made", e);
        }
    }
}
