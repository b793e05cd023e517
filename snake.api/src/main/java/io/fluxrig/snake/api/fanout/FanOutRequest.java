package io.fluxrig.snake.api.fanout;

import java.util.Map;

/**
 * The body of {@code POST} {@link FanOutPaths#FANOUTS}.
 *
 * @param selector which racks: {@code all}, a rack name, or {@code label=value} expressions joined
 *        by {@code ,} (all must hold), matched against the labels of every registered, unrevoked rack
 *        when the request arrives
 * @param type the command type, as for one rack ({@code POST /api/racks/{name}/commands})
 * @param args its string arguments, may be empty
 */
public record FanOutRequest(String selector, String type, Map<String, String> args) {
    /** Null arguments become empty. */
    public FanOutRequest {
        args = args == null ? Map.of() : Map.copyOf(args);
    }
}
