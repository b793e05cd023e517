package io.fluxrig.gear.json.http;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The validated, immutable request settings of one {@code json.http} instance.
 *
 * @param uri the endpoint
 * @param method POST or PUT
 * @param retryAllowed whether failed attempts may be repeated (PUT, or idempotent=true)
 * @param retries further attempts allowed
 * @param backoffMs pause before a further attempt
 * @param requestTimeoutMs per-attempt timeout
 * @param connectTimeoutMs connect timeout (also set on the client)
 * @param source what is sent
 * @param target where the response goes
 * @param headers extra headers, in order
 */
record Settings(URI uri, String method, boolean retryAllowed, int retries, long backoffMs, long requestTimeoutMs,
        long connectTimeoutMs, String source, String target, Map<String, String> headers) {

    /**
     * @param c the configuration
     * @return the settings
     * @throws IllegalArgumentException naming the attribute that is wrong
     */
    static Settings of(HttpConfig c) {
        if (Clients.blank(c.url())) {
            throw new IllegalArgumentException("json.http config url is required");
        }
        URI uri;
        try {
            uri = URI.create(c.url().trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("json.http config url: " + e.getMessage(), e);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("json.http config url: '" + c.url() + "' is not an http(s) URL with a host");
        }
        String method = c.method() == null ? "POST" : c.method().trim().toUpperCase(java.util.Locale.ROOT);
        if (!method.equals("POST") && !method.equals("PUT")) {
            throw new IllegalArgumentException("json.http config method: '" + c.method() + "' is not POST or PUT");
        }
        if (c.retries() < 0 || c.retries() > 10) {
            throw new IllegalArgumentException("json.http config retries must be 0..10, not " + c.retries());
        }
        if (c.request_timeout_ms() <= 0 || c.retry_backoff_ms() < 0) {
            throw new IllegalArgumentException("json.http config request.timeout.ms must be > 0 and retry.backoff.ms >= 0");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h : c.headers() == null ? new String[0] : c.headers()) {
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("json.http config headers: '" + h + "' is not 'Name: value'");
            }
            headers.put(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
        }
        String source = Clients.blank(c.source()) ? "data" : c.source().trim();
        String target = Clients.blank(c.target()) ? "data" : c.target().trim();
        return new Settings(uri, method, method.equals("PUT") || c.idempotent(), c.retries(), c.retry_backoff_ms(),
                c.request_timeout_ms(), c.connect_timeout_ms(), source, target, Map.copyOf(headers));
    }
}
