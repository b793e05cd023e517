package io.fluxrig.snake.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The answer to {@link SnakeRoute#HEARTBEAT}.
 *
 * @param rack the rack's name
 * @param state the rack's state in the registry, e.g. {@code online}
 * @param commands always empty: commands travel on {@link SnakeRoute#COMMANDS}
 * @param inventoryDigest the digest of the rack's inventory the Mixer holds after this heartbeat,
 *        or null when it holds none it can name (a rack whose heartbeat's digest differs sends its
 *        full inventory at once: see {@link Heartbeat})
 */
public record HeartbeatReply(String rack, String state, List<Command> commands,
        @JsonInclude(JsonInclude.Include.NON_NULL) String inventoryDigest) {

    /** A reply that names no inventory digest (a Mixer that predates them answers so). */
    public HeartbeatReply(String rack, String state, List<Command> commands) {
        this(rack, state, commands, null);
    }
}
