package io.fluxrig.nats.trust;

/**
 * Checks on NATS server URLs: credentials belong in a creds file, never in a URL (a URL is
 * shown in configuration pages, inventories and logs). Stateless.
 */
public final class NatsUrls {
    private NatsUrls() {
    }

    /**
     * @param url a NATS URL ({@code nats://host:port}, {@code tls://host:port})
     * @return the URL unchanged
     * @throws IllegalArgumentException naming the URL with its user part redacted when it holds
     *     a user, password or token
     */
    public static String requireNoCredentials(String url) {
        if (userInfo(url) != null) {
            throw new IllegalArgumentException("NATS URL " + redact(url) + " holds credentials: put them in a creds file "
                    + "(credentials.file) instead, never in a URL");
        }
        return url;
    }

    /** @return the URL with any user, password or token replaced by {@code ***} */
    public static String redact(String url) {
        int scheme = url.indexOf("://");
        int at = url.lastIndexOf('@');
        int start = scheme < 0 ? 0 : scheme + 3;
        return at >= start ? url.substring(0, start) + "***" + url.substring(at) : url;
    }

    /**
     * @return true when the URL is plaintext NATS ({@code nats://}, or no scheme) to a host other
     *     than the loopback: what fluxrig accepts only in development, and warns about
     */
    public static boolean plaintextBeyondLoopback(String url) {
        int scheme = url.indexOf("://");
        if (scheme >= 0 && !url.substring(0, scheme).equalsIgnoreCase("nats")) {
            return false; // tls://, wss://
        }
        String rest = url.substring(scheme < 0 ? 0 : scheme + 3);
        rest = rest.substring(rest.indexOf('@') + 1);
        String host = rest.startsWith("[") ? rest.substring(1, Math.max(1, rest.indexOf(']')))
                : rest.split("[:/]", 2)[0];
        return !(host.equals("127.0.0.1") || host.equalsIgnoreCase("localhost") || host.equals("::1"));
    }

    /**
     * @return true for a URL whose scheme asks for TLS ({@code tls://}, {@code wss://}); a client
     *     given a CA file speaks TLS whatever the scheme (jnats: a TLS context means TLS)
     */
    public static boolean tls(String url) {
        int scheme = url.indexOf("://");
        String s = scheme < 0 ? "" : url.substring(0, scheme).toLowerCase(java.util.Locale.ROOT);
        return s.equals("tls") || s.equals("wss");
    }

    /** Anything before an '@' in the authority is a user, password or token. */
    private static String userInfo(String url) {
        int scheme = url.indexOf("://");
        int start = scheme < 0 ? 0 : scheme + 3;
        int at = url.indexOf('@', start);
        return at >= 0 ? url.substring(start, at) : null;
    }
}
