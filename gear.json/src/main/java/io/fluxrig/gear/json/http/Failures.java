package io.fluxrig.gear.json.http;

import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;

/** Turns an HttpClient failure into a short reason an operator can act on. Stateless. */
final class Failures {
    private Failures() {
    }

    /**
     * @param failure what {@code sendAsync} completed with
     * @param s the settings, for the timeouts in the text
     * @return the reason
     */
    static String describe(Throwable failure, Settings s) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof HttpConnectTimeoutException) {
            return "connect timeout after " + s.connectTimeoutMs() + " ms";
        }
        if (t instanceof HttpTimeoutException) {
            return "timeout: no response within " + s.requestTimeoutMs() + " ms";
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            if (root instanceof ConnectException) {
                break;
            }
            root = root.getCause();
        }
        if (t instanceof ConnectException || root instanceof ConnectException) {
            return "connection refused or unreachable (" + s.uri().getHost() + ":" + port(s) + ")";
        }
        if (t instanceof SSLException || root instanceof SSLException) {
            return "TLS failure: " + root.getMessage();
        }
        if (t instanceof CancellationException) {
            return "cancelled";
        }
        return "request failed: " + t;
    }

    private static int port(Settings s) {
        return s.uri().getPort() >= 0 ? s.uri().getPort() : "https".equals(s.uri().getScheme()) ? 443 : 80;
    }
}
