package io.fluxrig.snake.api;

import java.util.Map;

/**
 * One command for a rack, as {@link SnakeRoute#COMMANDS} delivers it. A rack executes each id at
 * most once and answers a redelivered one from its record.
 *
 * @param id unique id
 * @param type a {@link CommandType#wire()} (or a type this rack may not know)
 * @param args string arguments, empty when none
 */
public record Command(String id, String type, Map<String, String> args) {
    /** Null arguments become empty. */
    public Command {
        args = args == null ? Map.of() : Map.copyOf(args);
    }
}
