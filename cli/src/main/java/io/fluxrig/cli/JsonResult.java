package io.fluxrig.cli;

import io.fluxrig.snake.api.SnakeCodec;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The {@code --json} option of a command that reports one result (a file written, a key made), as
 * a picocli mixin: with it the result is one JSON object on one line (snake.api's JSON codec, for
 * scripts), without it the lines written for people. The command builds the result's fields once
 * and hands both forms to {@link #print}, so the two never say different things. Holds only the
 * parsed option; used on the command's thread.
 */
public final class JsonResult {
    @Option(names = "--json", description = "print one JSON object (for scripts)")
    boolean json;

    /** @return whether {@code --json} was given */
    public boolean json() {
        return json;
    }

    /**
     * Prints the result: {@code fields} as one JSON object when {@code --json} was given, otherwise
     * {@code text}, one line each.
     */
    public void print(Console console, Map<String, ?> fields, List<String> text) {
        if (json) {
            console.out().println(new String(SnakeCodec.json().write(fields), StandardCharsets.UTF_8));
        } else {
            text.forEach(console.out()::println);
        }
    }

    /**
     * @param keysAndValues key, value, key, value ... (a value may be null: JSON null)
     * @return the fields in the order given
     */
    public static Map<String, Object> fields(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values come in pairs");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
