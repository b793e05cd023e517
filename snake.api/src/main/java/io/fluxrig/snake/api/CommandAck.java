package io.fluxrig.snake.api;

/**
 * The answer to {@link SnakeRoute#COMMAND_RESULT}.
 *
 * @param id the command's id
 * @param state the command's state after the result
 */
public record CommandAck(String id, String state) {
}
