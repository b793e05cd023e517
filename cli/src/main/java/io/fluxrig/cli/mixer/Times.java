package io.fluxrig.cli.mixer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One time format for everything the operator commands print, text or {@code --json}: ISO 8601
 * UTC ({@code 2026-12-05T11:09:23.120Z}). The operator API sends epoch milliseconds in fields
 * named like {@code lastSeen}, {@code expiresAt}, {@code certNotAfter}; those become ISO text, 0
 * (never) becomes null. Stateless.
 */
final class Times {
    private static final Pattern TIME_KEY = Pattern.compile(".*(Seen|At|NotAfter|NotBefore)$|^(at|since|time|ts)$");

    private Times() {
    }

    /** @return the JSON tree with its time fields as ISO 8601 text (a copy; the input is not changed) */
    static Object iso(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String k = String.valueOf(e.getKey());
                out.put(k, TIME_KEY.matcher(k).matches() && e.getValue() instanceof Number n ? iso(n.longValue()) : iso(e.getValue()));
            }
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(iso(x)));
            return out;
        }
        return v;
    }

    /** @return epoch milliseconds as ISO 8601, or null for 0 (never) */
    static String iso(long epochMillis) {
        return epochMillis == 0 ? null : Instant.ofEpochMilli(epochMillis).toString();
    }
}
