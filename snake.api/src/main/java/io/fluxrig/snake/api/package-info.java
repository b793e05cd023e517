/**
 * The contract between a rack and its Mixer, said once and used by both ends and the CLI: the
 * Snake's paths ({@link io.fluxrig.snake.api.SnakeRoute}) and the operator API's
 * ({@link io.fluxrig.snake.api.OperatorPaths}), the command types and their argument rules
 * ({@link io.fluxrig.snake.api.CommandType}), the rack-name rule
 * ({@link io.fluxrig.snake.api.RackNames}), the messages as records and their one JSON codec
 * ({@link io.fluxrig.snake.api.SnakeCodec}), how peer-supplied text goes into a log line
 * ({@link io.fluxrig.snake.api.LogText}), and the operator token's files in the Mixer's data folder
 * ({@link io.fluxrig.snake.api.OperatorTokenFiles}).
 *
 * <p>Every type here is a record, an enum or a final class with static members: nothing is meant
 * to be implemented by a user of the package, so no type carries {@code @ConsumerType}; the
 * package version alone says what changed (bnd's baseline treats these as provider types).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.5.0")
package io.fluxrig.snake.api;
