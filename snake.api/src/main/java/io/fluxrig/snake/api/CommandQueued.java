package io.fluxrig.snake.api;

/**
 * The answer to {@code POST} {@link OperatorPaths#commands}.
 *
 * @param id the command's id
 * @param rack the rack
 * @param type the type
 * @param state {@code pending}
 */
public record CommandQueued(String id, String rack, String type, String state) {
}
