package io.fluxrig.snake.api;

import java.util.Map;

/**
 * What {@code GET} {@link OperatorPaths#command} answers (the Mixer's record has more fields;
 * a reader takes these).
 *
 * @param id the command's id
 * @param rack the rack
 * @param type the type
 * @param args the arguments
 * @param state {@value #PENDING}, a {@link CommandResult} status, or {@value #CANCELLED}
 * @param detail the rack's result text, null before
 */
public record CommandStatus(String id, String rack, String type, Map<String, String> args, String state, String detail) {
    /** Not delivered, or delivered without a result yet. */
    public static final String PENDING = "pending";
    /** Withdrawn before the rack took it: it never runs. */
    public static final String CANCELLED = "cancelled";

    /** @return whether the rack has not reported a result yet */
    public boolean pending() {
        return PENDING.equals(state);
    }
}
