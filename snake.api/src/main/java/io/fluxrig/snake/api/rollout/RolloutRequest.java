package io.fluxrig.snake.api.rollout;

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
 */
public record RolloutRequest(String selector, List<String> waves, List<RolloutStep> steps, List<RolloutStep> rollbackSteps,
        long soakMillis, int maxFailures, String onFailure, long deadlineMillis, boolean includeNew) {
    /** Null lists become empty. */
    public RolloutRequest {
        waves = waves == null ? List.of() : List.copyOf(waves);
        steps = steps == null ? List.of() : List.copyOf(steps);
        rollbackSteps = rollbackSteps == null ? List.of() : List.copyOf(rollbackSteps);
    }
}
