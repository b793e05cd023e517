package io.fluxrig.msg;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Normalises values put into a fluxMsg to the closed set of types a fluxMsg holds, and makes
 * containers immutable. Already-normalised immutable containers pass through without copying,
 * which is what makes deriving a message from another cheap.
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
            return map(path, m);
        }
        if (value instanceof List<?> l) {
            List<Object> copy = new ArrayList<>(l.size());
            int i = 0;
            for (Object o : l) {
                copy.add(normalise(path + "." + i++, o));
            }
            return new ImmutableData.List(Collections.unmodifiableList(copy));
        }
        throw new IllegalArgumentException("data " + path + ": unsupported value type "
                + value.getClass().getName()
                + " (use String, Long, BigDecimal, Double, Boolean, byte[]/Bytes, null, Map or List)");
    }

    static Map<String, Object> map(String path, Map<?, ?> m) {
        if (m instanceof ImmutableData.Map im) {
            return im;
        }
        TreeMap<String, Object> copy = new TreeMap<>(CanonicalKeys.ORDER);
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException("data " + path + ": map key " + e.getKey()
                        + " is not a string");
            }
            copy.put(key, normalise(path.isEmpty() ? key : path + "." + key, e.getValue()));
        }
        return new ImmutableData.Map(copy);
    }
}
