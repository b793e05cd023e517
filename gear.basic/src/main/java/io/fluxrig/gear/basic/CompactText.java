package io.fluxrig.gear.basic;

import io.fluxrig.msg.Bytes;
import java.util.List;
import java.util.Map;

/**
 * Renders fluxMsg data as compact JSON-like text on one line: {@code {"seq":1,"text":"hi"}}.
 * Bytes render as {@code h'0a0b'} (CBOR diagnostic style); control characters are escaped so a
 * value can never break the log line. Pure logic, thread-safe.
 */
final class CompactText {
    private CompactText() {
    }

    /**
     * @param value a fluxMsg data value (map, list, scalar)
     * @param maxChars the longest result; longer text is cut and ends with {@code ...}
     * @return the text
     */
    static String render(Object value, int maxChars) {
        StringBuilder sb = new StringBuilder(64);
        append(sb, value, maxChars);
        if (sb.length() > maxChars) {
            sb.setLength(Math.max(0, maxChars - 3));
            sb.append("...");
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, Object v, int limit) {
        if (sb.length() > limit) {
            return;
        }
        if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                string(sb, String.valueOf(e.getKey()));
                sb.append(':');
                append(sb, e.getValue(), limit);
            }
            sb.append('}');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                append(sb, l.get(i), limit);
            }
            sb.append(']');
        } else if (v instanceof String s) {
            string(sb, s);
        } else if (v instanceof Bytes b) {
            sb.append("h'").append(b.toHex()).append('\'');
        } else {
            sb.append(v);
        }
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
