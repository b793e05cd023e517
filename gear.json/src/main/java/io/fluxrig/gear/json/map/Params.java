package io.fluxrig.gear.json.map;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the parameters of one transform object, recording every problem (with its place) instead
 * of stopping at the first, and remembering which keys were read so unknown keys are reported too.
 * Used by one thread while a mapping loads, then dropped.
 */
final class Params {
    private final Map<?, ?> spec;
    private final String where;
    private final List<String> problems;
    private final Set<String> read = new HashSet<>();

    Params(Map<?, ?> spec, String where, List<String> problems) {
        this.spec = spec;
        this.where = where;
        this.problems = problems;
    }

    void problem(String reason) {
        problems.add(where + ": " + reason);
    }

    boolean has(String key) {
        read.add(key);
        return spec.containsKey(key);
    }

    Object raw(String key) {
        read.add(key);
        return spec.get(key);
    }

    /** @return the text, {@code dflt} when absent (a problem when {@code dflt} is null), or null on a problem */
    String text(String key, String dflt) {
        Object v = raw(key);
        if (v == null) {
            if (dflt == null && !"op".equals(key)) {
                problem("'" + key + "' is required");
            }
            return dflt;
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Long l) {
            return String.valueOf(l);
        }
        problem("'" + key + "' must be text, not " + Transforms.describe(v));
        return null;
    }

    String choice(String key, String dflt, Set<String> allowed) {
        String v = text(key, dflt);
        if (v != null && !allowed.contains(v)) {
            problem("'" + key + "' must be one of " + new java.util.TreeSet<>(allowed) + ", not '" + v + "'");
        }
        return v;
    }

    char character(String key, char dflt) {
        String v = text(key, String.valueOf(dflt));
        if (v == null || v.length() != 1) {
            if (v != null) {
                problem("'" + key + "' must be exactly one character, not '" + v + "'");
            }
            return dflt;
        }
        return v.charAt(0);
    }

    int integer(String key, int min, int max) {
        Object v = raw(key);
        if (v instanceof Long l && l >= min && l <= max) {
            return l.intValue();
        }
        problem("'" + key + "' must be an integer " + min + ".." + max + (v == null ? " (missing)" : ", not " + v));
        return min;
    }

    IsoDates.Form form() {
        String v = text("format", null);
        for (IsoDates.Form f : IsoDates.Form.values()) {
            if (f.name().equals(v)) {
                return f;
            }
        }
        if (v != null) {
            problem("'format' must be MMDDhhmmss, hhmmss or MMDD, not '" + v + "'");
        }
        return IsoDates.Form.MMDDhhmmss;
    }

    Map<String, Object> table(String key) {
        Object v = raw(key);
        if (!(v instanceof Map<?, ?> m) || m.isEmpty()) {
            problem("'" + key + "' must be a non-empty object of key: value");
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, val) -> out.put(String.valueOf(k), val));
        return java.util.Collections.unmodifiableMap(out);
    }

    /** Reports every key that no reader asked for. */
    void checkUnknown(String op) {
        for (Object k : spec.keySet()) {
            if (!read.contains(String.valueOf(k))) {
                problem("unknown key '" + k + "' for op " + op);
            }
        }
    }
}
