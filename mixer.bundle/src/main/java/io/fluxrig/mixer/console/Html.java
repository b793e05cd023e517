package io.fluxrig.mixer.console;

/**
 * Escapes text for HTML element content and quoted attribute values. Rack names, labels and the
 * whole inventory come from enrolment and heartbeats, so every value on the page goes through
 * here. Pure, thread-safe.
 */
final class Html {
    private Html() {
    }

    /** @param text any text, or null @return the text with {@code & < > " '} escaped ("" for null) */
    static String esc(Object text) {
        if (text == null) {
            return "";
        }
        String s = text.toString();
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
