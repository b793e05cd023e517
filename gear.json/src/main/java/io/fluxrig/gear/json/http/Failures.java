package io.fluxrig.gear.json.http;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** Turns an HTTP client failure into a short reason an operator can act on. Stateless. */
final class Failures {
    private Failures() {
    }

    /**
     * @param failure what the exchange failed with (Jetty's {@code Result.getFailure()})
     * @param s the settings, for the timeouts in the text
     * @return the reason
     */
    static String describe(Throwable failure, Settings s) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        Throwable connect = find(t, ConnectException.class);
        Throwable tls = find(t, SSLException.class);
        if (t instanceof SocketTimeoutException && String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("connect")) {
            return "connect timeout after " + s.connectTimeoutMs() + " ms";
        }
        if (t instanceof TimeoutException) {
            return "timeout: no response within " + s.requestTimeoutMs() + " ms";
        }
        if (connect != null || find(t, UnresolvedAddressException.class) != null) {
            return "connection refused or unreachable (" + s.uri().getHost() + ":" + port(s) + ")";
        }
        if (tls != null) {
            return "TLS failure: " + root(tls).getMessage();
        }
        if (t instanceof CancellationException) {
            return "cancelled";
        }
        return "request failed: " + t;
    }

    /** @return the first throwable in the cause chain that is a {@code type}, or null */
    private static Throwable find(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return c;
            }
        }
        return null;
    }

    private static Throwable root(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r.getMessage() == null ? t : r;
    }

    private static int port(Settings s) {
        return s.uri().getPort() >= 0 ? s.uri().getPort() : "https".equals(s.uri().getScheme()) ? 443 : 80;
    }
}
