package io.fluxrig.snake.api;

import java.util.Map;

/**
 * The body of {@code POST} {@link OperatorPaths#commands}.
 *
 * @param type a {@link CommandType#wire()}
 * @param args its arguments ({@link CommandType#argumentProblem})
 */
public record CommandRequest(String type, Map<String, String> args) {
}
