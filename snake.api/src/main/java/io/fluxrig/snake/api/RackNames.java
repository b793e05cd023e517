package io.fluxrig.snake.api;

import java.util.regex.Pattern;

/**
 * The one rule for rack names, used wherever a name is given or checked (the rack's settings,
 * the launcher, the Mixer's CA and token API, the CLI): a lower-case letter, then lower-case
 * letters, digits, {@code '_'} or {@code '-'}, at most {@value #MAX_LENGTH} characters in all.
 * Why so narrow: the name is the certificate's CN, a NATS KV key, a file and folder name and part
 * of URLs and log lines; this alphabet is safe in all of them without escaping. Stateless.
 */
public final class RackNames {
    /** The longest rack name (a DNS label's limit, so a name also fits a host name). */
    public static final int MAX_LENGTH = 63;
    /** The rule as a pattern. */
    public static final Pattern PATTERN = Pattern.compile("[a-z][a-z0-9_-]{0," + (MAX_LENGTH - 1) + "}");
    /** The rule in words, for refusals and help texts. */
    public static final String RULE = "a lower-case letter, then lower-case letters, digits, '_' or '-', at most "
            + MAX_LENGTH + " characters";

    private RackNames() {
    }

    /** @param name a proposed name @return whether it follows the rule */
    public static boolean valid(String name) {
        return problem(name) == null;
    }

    /**
     * @param name a proposed name (may be null)
     * @return why it is refused (one sentence naming the first offending character and its offset),
     *         or null when it follows the rule
     */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "a rack name is required (" + RULE + ")";
        }
        if (name.length() > MAX_LENGTH) {
            return "'" + abbreviate(name) + "' has " + name.length() + " characters; at most " + MAX_LENGTH;
        }
        char first = name.charAt(0);
        if (first < 'a' || first > 'z') {
            return "'" + name + "' must start with a lower-case letter (a-z), not '" + printable(first) + "'";
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return "'" + name + "' has '" + printable(c) + "' at offset " + i
                        + "; only lower-case letters, digits, '_' and '-' are allowed";
            }
        }
        return null;
    }

    private static String printable(char c) {
        return c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
