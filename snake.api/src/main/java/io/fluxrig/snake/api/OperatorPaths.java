package io.fluxrig.snake.api;

/**
 * The operator API's paths (HTTPS with a bearer token, on the Mixer's operator endpoint), for the
 * Mixer that routes them and the CLI that calls them. Bodies are JSON; the records are named per
 * path. Stateless.
 */
public final class OperatorPaths {
    /** Every operator API path starts with this. */
    public static final String PREFIX = "/api";
    /** {@code POST}: {@link TokenRequest}, answered 201 with {@link TokenReply}. */
    public static final String TOKENS = "/api/tokens";
    /**
     * {@code GET}: one page of the racks, sorted by name, answered with {@link RackPage}. Query
     * parameters (all optional): {@value #STATE} (a state, or several comma-separated),
     * {@value #LABEL} ({@code key=value}, repeatable: every one must match), {@value #AFTER} (the
     * {@link RackPage#next} of the previous page) and {@value #LIMIT} (1 to {@value #MAX_LIMIT},
     * default {@value #DEFAULT_LIMIT}).
     */
    public static final String RACKS = "/api/racks";
    /** Query parameter of {@link #RACKS}: the states to keep, comma-separated. */
    public static final String STATE = "state";
    /** Query parameter of {@link #RACKS}: {@code key=value}, repeatable; a rack must carry every one. */
    public static final String LABEL = "label";
    /** Query parameter of {@link #RACKS}: list the racks whose names sort after this one. */
    public static final String AFTER = "after";
    /** Query parameter of {@link #RACKS}: the page size. */
    public static final String LIMIT = "limit";
    /** The page size when {@value #LIMIT} is not given. */
    public static final int DEFAULT_LIMIT = 100;
    /** The largest page. */
    public static final int MAX_LIMIT = 1000;
    /** {@code POST}: the raw artifact bytes, answered 201 (stored) or 200 (known) with {@link ArtifactInfo}. */
    public static final String ARTIFACTS = "/api/artifacts";
    /** {@code GET}: health and readiness, 200 when ready, else 503. */
    public static final String HEALTH = "/api/health";
    /**
     * {@code POST}: {@link OperatorTokenRequest}, answered 200 with {@link OperatorTokenReply}: a new
     * operator token replaces the one the request was made with, which is refused from then on.
     */
    public static final String OPERATOR_TOKEN_ROTATE = "/api/operator-token/rotate";
    /** The last segment of {@link #revoke}. */
    public static final String REVOKE = "revoke";
    /** The segment of {@link #commands} after the rack's name. */
    public static final String COMMANDS = "commands";

    private OperatorPaths() {
    }

    /** @param rack a rack name @return {@code GET}: the rack's record */
    public static String rack(String rack) {
        return RACKS + "/" + rack;
    }

    /** @param rack a rack name @return {@code POST}: revoke the rack (answered with its record) */
    public static String revoke(String rack) {
        return rack(rack) + "/" + REVOKE;
    }

    /**
     * @param rack a rack name
     * @return {@code POST}: {@link CommandRequest}, answered 201 with {@link CommandQueued};
     *         {@code GET}: the rack's commands
     */
    public static String commands(String rack) {
        return rack(rack) + "/" + COMMANDS;
    }

    /** @param rack a rack name @param id a command id @return {@code GET}: {@link CommandStatus} */
    public static String command(String rack, String id) {
        return commands(rack) + "/" + id;
    }

    /** @param digest {@code sha256:<hex>} or the hex alone @return {@code GET}: {@link ArtifactInfo}, 404 when not stored */
    public static String artifact(String digest) {
        return ARTIFACTS + "/" + digest;
    }
}
