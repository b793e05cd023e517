package io.fluxrig.snake.api;

import java.util.List;

/**
 * The answer to {@link SnakeRoute#HEARTBEAT}.
 *
 * @param rack the rack's name
 * @param state the rack's state in the registry, e.g. {@code online}
 * @param commands always empty: commands travel on {@link SnakeRoute#COMMANDS}
 */
public record HeartbeatReply(String rack, String state, List<Command> commands) {
}
