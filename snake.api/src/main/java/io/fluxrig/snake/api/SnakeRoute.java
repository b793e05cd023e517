package io.fluxrig.snake.api;

import java.util.Optional;

/**
 * The Snake's requests, each with its method and path: the rack sends them, the Mixer routes by
 * {@link #match}. {@link #CA} and {@link #ENROL} are made with TLS server authentication only (the
 * rack has no certificate yet); every other route needs the rack's certificate (mutual TLS).
 * Bodies are JSON and encoded with {@link SnakeCodec}; the record of each body is named below.
 */
public enum SnakeRoute {
    /** {@code GET /ca}: the Mixer CA, answered with {@link CaInfo}. */
    CA("GET", "/ca", false),
    /** {@code POST /enrol}: {@link EnrolRequest} (one-time token and CSR), answered with {@link EnrolReply}. */
    ENROL("POST", "/enrol", false),
    /** {@code POST /snake/heartbeat}: {@link Heartbeat}, answered with {@link HeartbeatReply}. */
    HEARTBEAT("POST", "/snake/heartbeat", false),
    /** {@code POST /snake/renew}: {@link RenewRequest}, answered with {@link RenewReply}. */
    RENEW("POST", "/snake/renew", false),
    /**
     * {@code GET /snake/commands?waitMs=N}: a long poll answered with {@link CommandBatch} at once
     * when commands are pending, else when one is queued or {@code N} ms passed.
     */
    COMMANDS("GET", "/snake/commands", false),
    /** {@code POST /snake/commands/result}: {@link CommandResult}, answered with {@link CommandAck}. */
    COMMAND_RESULT("POST", "/snake/commands/result", false),
    /** {@code GET /snake/artifacts/<64 hex>}: the artifact's bytes ({@code application/octet-stream}). */
    ARTIFACT("GET", "/snake/artifacts/", true);

    /** The query parameter of {@link #COMMANDS}: how long the Mixer may hold the poll, in ms. */
    public static final String WAIT_MS = "waitMs";

    private final String method;
    private final String path;
    private final boolean prefix;

    SnakeRoute(String method, String path, boolean prefix) {
        this.method = method;
        this.path = path;
        this.prefix = prefix;
    }

    /** @return the HTTP method */
    public String method() {
        return method;
    }

    /** @return the path, or for {@link #ARTIFACT} the prefix the artifact's hex digest follows */
    public String path() {
        return path;
    }

    /** @return whether the request needs the rack's certificate */
    public boolean mutualTls() {
        return this != CA && this != ENROL;
    }

    /**
     * @param method the request's method
     * @param path the request's path (without query)
     * @return the route, or empty when neither method nor path match one
     */
    public static Optional<SnakeRoute> match(String method, String path) {
        for (SnakeRoute r : values()) {
            if (r.method.equals(method) && (r.prefix ? path.startsWith(r.path) : r.path.equals(path))) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /**
     * @param path a path {@link #match}ed to this route
     * @return what follows the route's prefix ({@link #ARTIFACT}: the hex digest), empty for others
     */
    public String rest(String path) {
        return prefix ? path.substring(this.path.length()) : "";
    }

    /** @param waitMillis how long the Mixer may hold the poll @return the {@link #COMMANDS} path with its query */
    public static String commandsPoll(long waitMillis) {
        return COMMANDS.path + "?" + WAIT_MS + "=" + waitMillis;
    }

    /** @param digest {@code sha256:<64 hex>} @return the {@link #ARTIFACT} path of that artifact */
    public static String artifact(String digest) {
        return ARTIFACT.path + ArtifactDigest.hex(digest);
    }
}
