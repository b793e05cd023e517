package io.fluxrig.snake.api;

import java.util.List;

/**
 * A command's outcome: the body of {@link SnakeRoute#COMMAND_RESULT}, and the line a rack keeps
 * per executed command.
 *
 * @param id the command's id
 * @param status {@value #DONE}, {@value #FAILED} (the rack tried and could not) or
 *        {@value #REFUSED} (the rack would not: unknown type, bad arguments)
 * @param detail what happened, for the operator
 */
public record CommandResult(String id, String status, String detail) {
    public static final String DONE = "done";
    public static final String FAILED = "failed";
    public static final String REFUSED = "refused";
    /** Every status a result may carry. */
    public static final List<String> STATUSES = List.of(DONE, FAILED, REFUSED);
}
