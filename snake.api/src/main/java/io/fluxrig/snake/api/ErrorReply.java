package io.fluxrig.snake.api;

/**
 * The body of every refusal (HTTP 4xx/5xx) on the Snake and the operator API.
 *
 * @param error the reason, naming the field or argument at fault
 */
public record ErrorReply(String error) {
}
