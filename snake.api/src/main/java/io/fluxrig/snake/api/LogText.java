package io.fluxrig.snake.api;

/**
 * The one rule for putting text that came from a peer (a rack's name in a refused request, an
 * error text, a command result, an inventory string) or from a user into a log line: the text
 * stays on that line and cannot colour or move the terminal. Control characters (C0, DEL, C1),
 * the Unicode line and paragraph separators and the bidirectional overrides are written as
 * {@code \n}, {@code \r}, {@code \t} or {@code \}{@code uXXXX}; a backslash is doubled so that an
 * escaped text is never mistaken for an escape; text longer than {@value #MAX_CHARS} characters
 * is cut, saying how much was left out. Stateless.
 */
public final class LogText {
    /** Longest text kept in one log value. */
    public static final int MAX_CHARS = 1024;

    private LogText() {
    }

    /**
     * @param text text from a rack, the Mixer or a user; null is written as {@code null}
     * @return the text safe for one log line
     */
    public static String escape(CharSequence text) {
        if (text == null) {
            return "null";
        }
        int n = Math.min(text.length(), MAX_CHARS);
        StringBuilder b = new StringBuilder(n + 16);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (unsafe(c)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        if (text.length() > n) {
            b.append("...(").append(text.length() - n).append(" more characters)");
        }
        return b.toString();
    }

    private static boolean unsafe(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029'
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
    }
}
