package io.fluxrig.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** A bench runner's settings given as {@code key=value} words on its command line. Pure; no state. */
public final class KeyValueArgs {
    private KeyValueArgs() {
    }

    /**
     * @param args the words, each {@code key=value} with a key of at least one character (a later key wins)
     * @param refusal what the exception says before the word it refuses, e.g. {@code "settings are key=value, not "}
     * @return the settings in the order given
     * @throws IllegalArgumentException for a word without a key and an {@code =}
     */
    public static Map<String, String> parse(String[] args, String refusal) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException(refusal + a);
            }
            settings.put(a.substring(0, eq), a.substring(eq + 1));
        }
        return settings;
    }
}
