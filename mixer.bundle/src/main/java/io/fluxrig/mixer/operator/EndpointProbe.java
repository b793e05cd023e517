package io.fluxrig.mixer.operator;

import io.fluxrig.snake.api.OperatorPaths;
import io.fluxrig.snake.api.tls.TlsContexts;
import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;

/**
 * Waits until the operator endpoint really answers: TLS with a certificate of the Mixer CA, and
 * the API servlet replying 401 to a call without a token. Felix HTTP starts its Jetty on its own
 * thread after the configuration arrives, so only this tells when the readiness line is true.
 * Runs on the Mixer's start thread; blocking by design.
 */
final class EndpointProbe {
    private EndpointProbe() {
    }

    /**
     * @param url the endpoint base URL
     * @param ca the only trust anchor
     * @param patience how long to wait before reporting; then it keeps waiting
     * @param report receives why the endpoint is not answering, once per {@code patience}
     * @throws InterruptedException when the start thread is interrupted (the Mixer stops)
     */
    static void await(String url, X509Certificate ca, Duration patience, java.util.function.Consumer<String> report)
            throws InterruptedException {
        SSLContext ctx = context(ca);
        long next = System.nanoTime() + patience.toNanos();
        while (true) {
            String why;
            try {
                int status = status(ctx, url + OperatorPaths.RACKS);
                if (status == 401) {
                    return;
                }
                why = "HTTP " + status + " from " + url + OperatorPaths.RACKS + " (the API servlet is not mounted yet)";
            } catch (IOException e) {
                why = e.toString();
            }
            if (System.nanoTime() > next) {
                report.accept(why);
                next = System.nanoTime() + patience.toNanos();
            }
            Thread.sleep(100);
        }
    }

    private static int status(SSLContext ctx, String url) throws IOException {
        HttpsURLConnection c = (HttpsURLConnection) URI.create(url).toURL().openConnection();
        c.setSSLSocketFactory(ctx.getSocketFactory());
        // The chain must come from the Mixer CA; the name is whatever the operator bound to, which
        // need not be among the certificate's names (fluxrig.mixer.hosts are for racks).
        c.setHostnameVerifier((host, session) -> true);
        c.setConnectTimeout(2000);
        c.setReadTimeout(5000);
        try {
            return c.getResponseCode();
        } finally {
            c.disconnect();
        }
    }

    private static SSLContext context(X509Certificate ca) {
        try {
            return TlsContexts.trusting(ca);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot build a TLS 1.3 context: " + e.getMessage(), e);
        }
    }
}
