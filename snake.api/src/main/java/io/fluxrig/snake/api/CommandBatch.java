package io.fluxrig.snake.api;

import java.util.List;

/**
 * The answer to {@link SnakeRoute#COMMANDS}.
 *
 * @param commands the rack's pending commands, oldest first; empty when the poll timed out
 */
public record CommandBatch(List<Command> commands) {
    /** Null becomes empty. */
    public CommandBatch {
        commands = commands == null ? List.of() : List.copyOf(commands);
    }
}
