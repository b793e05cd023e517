/**
 * Fan-out commands: one operator command sent to every rack a selector matches (the selector of
 * rollouts: {@code all}, a rack name, or {@code label=value[,label=value]}), with a per-rack
 * summary. The operator API's request and answer records
 * ({@link io.fluxrig.snake.api.fanout.FanOutRequest}, {@link io.fluxrig.snake.api.fanout.FanOut})
 * and paths ({@link io.fluxrig.snake.api.fanout.FanOutPaths}); the Mixer runs them, the CLI reads
 * them. Records and final classes only.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.fluxrig.snake.api.fanout;
