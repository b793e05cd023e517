package io.fluxrig.snake.api.fanout;

/**
 * One rack of a fan-out.
 *
 * @param rack the rack's name
 * @param command the id of its command (as in {@code GET /api/racks/{rack}/commands/{id}})
 * @param state {@link FanOut#QUEUED}, {@link FanOut#DELIVERED}, {@link FanOut#DONE},
 *        {@link FanOut#FAILED} or {@link FanOut#OFFLINE}
 * @param detail the rack's result text, or why it failed, or null
 */
public record FanOutRack(String rack, String command, String state, String detail) {
}
