package io.fluxrig.console.guard;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Whether a request may change state: the same-origin rule of the console's CSRF defence (OWASP's
 * "verifying origin with standard headers"). GET, HEAD, OPTIONS and TRACE always may. Any other
 * method needs an {@code Origin} header (else the origin of the {@code Referer}) equal to the
 * console's own origin, {@code scheme://Host}, or to one of the allowed origins; {@code Origin:
 * null} (sandboxed frames, {@code data:} pages) never matches. A request with neither header is
 * refused unless allowed: browsers send one of them with every cross-origin POST, so only scripts
 * send none. Immutable, thread-safe.
 */
final class OriginCheck {
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private final Set<String> allowed;
    private final boolean allowMissing;

    /**
     * @param allowed other origins that may change state ({@code scheme://host[:port]})
     * @param allowMissing whether a request without Origin and Referer may change state
     */
    OriginCheck(Set<String> allowed, boolean allowMissing) {
        this.allowed = allowed.stream().map(OriginCheck::normalise).filter(o -> o != null).collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.allowMissing = allowMissing;
    }

    /**
     * @param method the HTTP method
     * @param scheme the request's scheme ({@code http} or {@code https})
     * @param host the request's {@code Host} header (host and optional port), or null
     * @param origin the {@code Origin} header, or null
     * @param referer the {@code Referer} header, or null
     * @return why the request may not change state, or null when it may
     */
    String refusal(String method, String scheme, String host, String origin, String referer) {
        if (SAFE.contains(method.toUpperCase(Locale.ROOT))) {
            return null;
        }
        String claimed;
        String header;
        if (origin != null && !origin.isBlank()) {
            claimed = "null".equals(origin.strip()) ? null : normalise(origin);
            header = "Origin";
        } else if (referer != null && !referer.isBlank()) {
            claimed = normalise(referer);
            header = "Referer";
        } else {
            return allowMissing ? null : "no Origin or Referer header";
        }
        String own = host == null ? null : normalise(scheme + "://" + host.strip());
        if (claimed != null && (claimed.equals(own) || allowed.contains(claimed))) {
            return null;
        }
        return header + " " + (claimed == null ? origin : claimed) + " is not this console's origin " + own;
    }

    /** @return {@code scheme://host:port} in lower case with the port always present, or null when not a URL */
    static String normalise(String url) {
        try {
            URI u = new URI(url.strip());
            String scheme = u.getScheme();
            String host = u.getHost();
            if (scheme == null || host == null) {
                return null;
            }
            scheme = scheme.toLowerCase(Locale.ROOT);
            int port = u.getPort();
            if (port < 0) {
                port = switch (scheme) {
                    case "http" -> 80;
                    case "https" -> 443;
                    default -> -1;
                };
            }
            return scheme + "://" + host.toLowerCase(Locale.ROOT) + ":" + port;
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }
}
