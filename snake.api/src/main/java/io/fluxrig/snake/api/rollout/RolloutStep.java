package io.fluxrig.snake.api.rollout;

/**
 * One command of a rollout, sent to each rack in order: {@code preflight-bundle},
 * {@code install-bundle} or {@code apply-patch}.
 *
 * @param type the command type
 * @param digest the artifact (stored on the Mixer)
 * @param name its file name, for messages
 * @param release the signed release as compact JSON ({@code FILE.sig}), or null when unsigned
 */
public record RolloutStep(String type, String digest, String name, String release) {
}
