package io.fluxrig.msg;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Normalises values put into a fluxMsg to the closed set of types a fluxMsg holds, and makes
 * containers immutable. Already-normalised immutable containers pass through without copying,
 * which is what makes deriving a message from another cheap.
 *
 * <p>The dotted path of a nested value is only needed for an error message, so it is built only
 * when a value is refused: the failure carries the path segments up to the entry point.
 */
final class Values {
    private Values() {
    }

    /**
     * @param path where the value goes, for the error message
     * @param value any supported value
     * @return the value as one of: null, String, Long, BigDecimal, Double, Boolean, Bytes,
     *     immutable canonical Map&lt;String,Object&gt;, immutable List&lt;Object&gt;
     * @throws IllegalArgumentException naming the path when the type is not supported
     */
    static Object normalise(String path, Object value) {
        try {
            return norm(value);
        } catch (Refused r) {
            throw r.at(path);
        }
    }

    static Map<String, Object> map(String path, Map<?, ?> m) {
        try {
            return mapOf(m);
        } catch (Refused r) {
            throw r.at(path);
        }
    }

    private static Object norm(Object value) {
        if (value == null || value instanceof String || value instanceof Long
                || value instanceof Boolean || value instanceof Bytes) {
            return value;
        }
        if (value instanceof Double d) {
            return d;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        if (value instanceof BigDecimal d) {
            return d;
        }
        if (value instanceof BigInteger i) {
            return i.bitLength() < 64 ? (Object) i.longValue() : new BigDecimal(i);
        }
        if (value instanceof byte[] b) {
            return Bytes.of(b);
        }
        if (value instanceof CharSequence cs) {
            return cs.toString();
        }
        if (value instanceof ImmutableData.Map || value instanceof ImmutableData.List) {
            return value;
        }
        if (value instanceof Map<?, ?> m) {
            return mapOf(m);
        }
        if (value instanceof List<?> l) {
            List<Object> copy = new ArrayList<>(l.size());
            int i = 0;
            for (Object o : l) {
                try {
                    copy.add(norm(o));
                } catch (Refused r) {
                    throw r.inside(Integer.toString(i), true);
                }
                i++;
            }
            return new ImmutableData.List(Collections.unmodifiableList(copy));
        }
        throw new Refused("unsupported value type " + value.getClass().getName()
                + " (use String, Long, BigDecimal, Double, Boolean, byte[]/Bytes, null, Map or List)");
    }

    /** Copies into an array of immutable entries and sorts it once (no per-entry ordered insert). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapOf(Map<?, ?> m) {
        if (m instanceof ImmutableData.Map im) {
            return im;
        }
        Map.Entry<String, Object>[] entries = (Map.Entry<String, Object>[]) new Map.Entry<?, ?>[m.size()];
        int n = 0;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new Refused("map key " + e.getKey() + " is not a string");
            }
            Object v;
            try {
                v = norm(e.getValue());
            } catch (Refused r) {
                throw r.inside(key, false);
            }
            if (n == entries.length) { // the map grew while being copied (a concurrent map)
                entries = Arrays.copyOf(entries, n + 8);
            }
            // An immutable entry whose value needed no change is kept as it is.
            entries[n++] = e instanceof AbstractMap.SimpleImmutableEntry<?, ?> && v == e.getValue()
                    ? (Map.Entry<String, Object>) e : new AbstractMap.SimpleImmutableEntry<>(key, v);
        }
        if (n != entries.length) {
            entries = Arrays.copyOf(entries, n);
        }
        CanonicalKeys.sort(entries);
        return new ImmutableData.Map(entries);
    }

    /**
     * A refused value on its way up to the entry point, collecting the path segments (innermost
     * first). Never escapes this class; no stack trace (it is rethrown as IllegalArgumentException).
     */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String reason;
        private final List<String> segments = new ArrayList<>();
        private final List<Boolean> listIndex = new ArrayList<>();

        Refused(String reason) {
            super(reason, null, false, false);
            this.reason = reason;
        }

        Refused inside(String segment, boolean index) {
            segments.add(segment);
            listIndex.add(index);
            return this;
        }

        /** The error with its full path, built only when it is thrown: list items as "path.i", map keys as "path.key" ("key" at the top). */
        IllegalArgumentException at(String path) {
            String p = path;
            for (int i = segments.size() - 1; i >= 0; i--) {
                p = listIndex.get(i) || !p.isEmpty() ? p + "." + segments.get(i) : segments.get(i);
            }
            return new IllegalArgumentException("data " + p + ": " + reason);
        }
    }
}
