/**
 * Rollouts: a change (bundles and a patch, each optionally signed) taken to every rack a selector
 * matches, one wave at a time, with a health gate per wave, a failure threshold, a progress
 * deadline per rack, and pause, resume and abort. The operator API's request and answer records
 * ({@link io.fluxrig.snake.api.rollout.RolloutRequest}, {@link io.fluxrig.snake.api.rollout.Rollout})
 * and paths ({@link io.fluxrig.snake.api.rollout.RolloutPaths}); the Mixer runs them, the CLI and
 * console read them. Records and final classes only.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.fluxrig.snake.api.rollout;
