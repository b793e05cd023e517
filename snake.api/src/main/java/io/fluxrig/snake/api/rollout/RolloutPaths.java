package io.fluxrig.snake.api.rollout;

/**
 * The operator API's rollout paths (under the same HTTPS endpoint and bearer token as the rest):
 * {@code POST /api/rollouts} (a {@link RolloutRequest}; answers the {@link Rollout}),
 * {@code GET /api/rollouts}, {@code GET /api/rollouts/{id}}, and
 * {@code POST /api/rollouts/{id}/pause|resume|abort|rollback}.
 */
public final class RolloutPaths {
    /** The collection. */
    public static final String ROLLOUTS = "/api/rollouts";
    /** Pause: no rack starts a new step until resumed (steps already sent still finish). */
    public static final String PAUSE = "pause";
    /** Resume a paused rollout. */
    public static final String RESUME = "resume";
    /** Abort: nothing more is sent; the rollout ends. */
    public static final String ABORT = "abort";

    private RolloutPaths() {
    }

    /** @param id a rollout id @return its path */
    public static String rollout(String id) {
        return ROLLOUTS + "/" + id;
    }

    /** @param id a rollout id @param action pause, resume, abort or rollback @return the action's path */
    public static String action(String id, String action) {
        return rollout(id) + "/" + action;
    }
}
