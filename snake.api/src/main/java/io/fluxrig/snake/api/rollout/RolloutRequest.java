package io.fluxrig.snake.api.rollout;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The body of {@code POST} {@link RolloutPaths#ROLLOUTS}.
 *
 * @param selector which racks: {@code all}, a rack name, or {@code label=value} expressions joined
 *        by {@code ,} (all must hold)
 * @param waves cumulative wave sizes: a count ({@code 1}) or a share ({@code 10%}); the last wave
 *        always reaches every selected rack, e.g. {@code [1, 50%, 100%]}
 * @param steps the commands for each rack, in order (each bundle's pre-flight first, then the
 *        installs, then the patch)
 * @param rollbackSteps the commands that restore the previous release on a rack already changed
 *        (a previous release signed with {@code allow-downgrade}), empty when none
 * @param soakMillis how long a changed rack must stay healthy before it counts as done
 * @param maxFailures how many racks may fail before the rollout stops
 * @param onFailure {@value Rollout#PAUSE} or {@value Rollout#ROLLBACK}
 * @param deadlineMillis the progress deadline: the longest a rack may stay in one state
 * @param includeNew whether racks that start matching the selector while the rollout runs join it
 * @param maxErrorRate the health gate's error-rate limit during the soak: failed messages / messages
 *        in (a fraction, 0 to 1) of the gear instances the change touched, per heartbeat interval;
 *        null for {@value #DEFAULT_MAX_ERROR_RATE}
 * @param maxP99Millis the health gate's processing-time limit during the soak: the largest p99 (ms)
 *        of the gear instances the change touched; null for {@value #DEFAULT_MAX_P99_MILLIS}
 */
public record RolloutRequest(String selector, List<String> waves, List<RolloutStep> steps, List<RolloutStep> rollbackSteps,
        long soakMillis, int maxFailures, String onFailure, long deadlineMillis, boolean includeNew,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double maxErrorRate,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double maxP99Millis) {
    /** The error-rate limit when a request names none: a quarter of the messages failing. */
    public static final double DEFAULT_MAX_ERROR_RATE = 0.25;
    /** The p99 limit (ms) when a request names none: a gear call taking a second or more. */
    public static final double DEFAULT_MAX_P99_MILLIS = 1000;

    /** A request with the default health limits. */
    public RolloutRequest(String selector, List<String> waves, List<RolloutStep> steps, List<RolloutStep> rollbackSteps,
            long soakMillis, int maxFailures, String onFailure, long deadlineMillis, boolean includeNew) {
        this(selector, waves, steps, rollbackSteps, soakMillis, maxFailures, onFailure, deadlineMillis, includeNew, null, null);
    }

    /** Null lists become empty. */
    public RolloutRequest {
        waves = waves == null ? List.of() : List.copyOf(waves);
        steps = steps == null ? List.of() : List.copyOf(steps);
        rollbackSteps = rollbackSteps == null ? List.of() : List.copyOf(rollbackSteps);
    }

    /** @return {@link #maxErrorRate}, or its default */
    public double errorRateLimit() {
        return maxErrorRate == null ? DEFAULT_MAX_ERROR_RATE : maxErrorRate;
    }

    /** @return {@link #maxP99Millis}, or its default */
    public double p99Limit() {
        return maxP99Millis == null ? DEFAULT_MAX_P99_MILLIS : maxP99Millis;
    }

    /**
     * @param back the rollback steps
     * @param failures the failures tolerated
     * @return this request with those, everything else kept
     */
    public RolloutRequest with(List<RolloutStep> back, int failures) {
        return new RolloutRequest(selector, waves, steps, back, soakMillis, failures, onFailure, deadlineMillis, includeNew,
                maxErrorRate, maxP99Millis);
    }
}
