package io.fluxrig.nats.trust.jnats;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import java.io.IOException;
import java.net.ConnectException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLHandshakeException;

/**
 * Why a NATS connection failed, in words an operator can act on. jnats reports a failed first
 * connect as "Unable to connect to NATS servers: [urls]" and hands the reason (no TLS, a
 * certificate of another CA, refused credentials) only to its {@link ErrorListener}: give a client
 * this listener, and {@link #explain} turns the failure into an exception naming the URLs and the
 * reason. {@link #reason(Throwable)} alone translates one exception.
 *
 * <p>Threading: jnats calls the listener from its own threads; the last error is held atomically.
 * One instance per connection (or per connection attempt loop).
 */
public final class ConnectErrors implements ErrorListener {
    private final AtomicReference<String> last = new AtomicReference<>();

    @Override
    public void exceptionOccurred(Connection conn, Exception exp) {
        last.set(reason(exp));
    }

    @Override
    public void errorOccurred(Connection conn, String error) {
        last.set(error != null && error.toLowerCase(java.util.Locale.ROOT).contains("authorization")
                ? "the server refused the credentials (" + error + ")" : "the server said: " + error);
    }

    /** Forgets the last error: call before a new connect attempt, so an old reason is not given for a new failure. */
    public void reset() {
        last.set(null);
    }

    /** @return the reason of the last error jnats reported, or null when none */
    public String last() {
        return last.get();
    }

    /**
     * @param urls the servers the client tried
     * @param failure what the connect threw
     * @return an exception naming the URLs and the reason (the listener's last error, else the failure's own)
     */
    public IOException explain(List<String> urls, Exception failure) {
        String why = last.get();
        if (why == null) {
            why = reason(failure);
        }
        return new IOException("NATS " + String.join(",", urls) + ": " + why, failure);
    }

    /**
     * @param t a connect failure as jnats throws or reports it
     * @return what it means: no TLS on one side, a server certificate of another CA or for another
     *     host, refused credentials, nobody listening; else the innermost message
     */
    public static String reason(Throwable t) {
        StringBuilder chain = new StringBuilder();
        Throwable root = t;
        CertificateException certificate = null;
        boolean handshake = false;
        boolean path = false;
        for (Throwable c = t; c != null; c = c.getCause()) {
            chain.append(' ').append(c.getMessage());
            root = c;
            if (c instanceof CertificateException ce && certificate == null) {
                certificate = ce;
            }
            handshake |= c instanceof SSLHandshakeException;
            path |= c instanceof CertPathBuilderException || c instanceof CertPathValidatorException;
        }
        String all = chain.toString();
        if (all.contains("SSL required by server")) {
            return "the server requires TLS but this client has no NATS CA file set (its TLS setting: tls.ca.file, --nats-ca "
                    + "or --ca), so it spoke plaintext";
        }
        if (all.contains("SSL connection wanted by client")) {
            return "this client requires TLS (a NATS CA file is set) but the server does not offer it (a plaintext server)";
        }
        if (path || all.contains("PKIX path") || all.contains("unable to find valid certification path")) {
            return "the server's TLS certificate is not signed by the CA this client trusts (a wrong NATS CA file, or a server "
                    + "of another deployment): " + root.getMessage();
        }
        if (certificate != null) {
            return "the server's TLS certificate does not fit: " + certificate.getMessage();
        }
        if (handshake) {
            return "the TLS handshake failed: " + root.getMessage();
        }
        if (all.toLowerCase(java.util.Locale.ROOT).contains("authorization violation")) {
            return "the server refused the credentials (Authorization Violation)";
        }
        if (root instanceof ConnectException) {
            return "nothing listens there (" + root.getMessage() + ")";
        }
        return String.valueOf(root.getMessage() == null ? root : root.getMessage());
    }
}
