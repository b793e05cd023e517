package io.fluxrig.rack.runtime.catalog;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Converts a gear's configuration as written in the patch (YAML scalars and lists) to the types
 * its metatype declares (Integer, Long, Boolean, Double, String, ..., arrays when cardinality is
 * not 0) and validates each value with the metatype. Pure logic, thread-safe.
 */
public final class ConfigConverter {
    // The metatype AttributeDefinition type constants (compile-time constants of the spec).
    static final int STRING = 1;
    static final int LONG = 2;
    static final int INTEGER = 3;
    static final int SHORT = 4;
    static final int CHARACTER = 5;
    static final int BYTE = 6;
    static final int DOUBLE = 7;
    static final int FLOAT = 8;
    static final int BOOLEAN = 11;
    static final int PASSWORD = 12;

    private ConfigConverter() {
    }

    /**
     * @param gear the instance name, for problem text
     * @param raw the values as written
     * @param attributes the declared attributes, or null to pass values through (lists become arrays)
     * @param problems receives one line per bad value or unknown key
     * @return the converted configuration, ready for ConfigAdmin
     */
    public static Map<String, Object> convert(String gear, Map<String, Object> raw,
            Map<String, ConfigAttribute> attributes, List<String> problems) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : raw.entrySet()) {
            String key = e.getKey();
            if (attributes == null) {
                out.put(key, e.getValue() instanceof List<?> l ? inferArray(l) : e.getValue());
                continue;
            }
            ConfigAttribute a = attributes.get(key);
            if (a == null) {
                problems.add("gear '" + gear + "': unknown config key '" + key + "' (known: "
                        + String.join(", ", new TreeSet<>(attributes.keySet())) + ")");
                continue;
            }
            try {
                out.put(key, convert(a, e.getValue()));
            } catch (IllegalArgumentException ex) {
                problems.add("gear '" + gear + "': config " + key + ": " + ex.getMessage());
            }
        }
        return out;
    }

    private static Object convert(ConfigAttribute a, Object value) {
        if (a.cardinality() == 0) {
            if (value instanceof List) {
                throw new IllegalArgumentException("takes one value, not a list");
            }
            return validated(a, one(a.type(), value));
        }
        List<?> items = value instanceof List<?> l ? l : List.of(value);
        if (Math.abs(a.cardinality()) < items.size()) {
            throw new IllegalArgumentException("takes at most " + Math.abs(a.cardinality()) + " values");
        }
        Object array = Array.newInstance(javaType(a.type()), items.size());
        for (int i = 0; i < items.size(); i++) {
            Array.set(array, i, validated(a, one(a.type(), items.get(i))));
        }
        return array;
    }

    private static Object validated(ConfigAttribute a, Object value) {
        String reason = a.validator() == null ? null : a.validator().apply(String.valueOf(value));
        if (reason != null && !reason.isEmpty()) {
            throw new IllegalArgumentException("'" + value + "': " + reason);
        }
        return value;
    }

    private static Class<?> javaType(int type) {
        return switch (type) {
            case LONG -> Long.class;
            case INTEGER -> Integer.class;
            case SHORT -> Short.class;
            case CHARACTER -> Character.class;
            case BYTE -> Byte.class;
            case DOUBLE -> Double.class;
            case FLOAT -> Float.class;
            case BOOLEAN -> Boolean.class;
            default -> String.class;
        };
    }

    static Object one(int type, Object v) {
        String text = String.valueOf(v).trim();
        try {
            return switch (type) {
                case LONG -> v instanceof Long l ? l : Long.valueOf(integral(v, text));
                case INTEGER -> Integer.valueOf(Math.toIntExact(v instanceof Long l ? l : Long.parseLong(integral(v, text))));
                case SHORT -> Short.valueOf(integral(v, text));
                case BYTE -> Byte.valueOf(integral(v, text));
                case DOUBLE -> v instanceof Number n ? n.doubleValue() : Double.valueOf(number(v, text));
                case FLOAT -> v instanceof Number n ? n.floatValue() : Float.valueOf(number(v, text));
                case BOOLEAN -> bool(v, text);
                case CHARACTER -> {
                    if (text.length() != 1) {
                        throw new IllegalArgumentException("not a single character: '" + text + "'");
                    }
                    yield text.charAt(0);
                }
                default -> String.valueOf(v);
            };
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("not " + (type == DOUBLE || type == FLOAT ? "a number" : "an integer")
                    + " in range: '" + text + "'");
        }
    }

    private static String integral(Object v, String text) {
        if (v instanceof Double || v instanceof Boolean) {
            throw new NumberFormatException();
        }
        return text;
    }

    private static String number(Object v, String text) {
        if (v instanceof Boolean) {
            throw new NumberFormatException();
        }
        return text;
    }

    private static Boolean bool(Object v, String text) {
        if (v instanceof Boolean b) {
            return b;
        }
        if ("true".equalsIgnoreCase(text) || "false".equalsIgnoreCase(text)) {
            return Boolean.valueOf(text);
        }
        throw new IllegalArgumentException("not true or false: '" + text + "'");
    }

    private static Object inferArray(List<?> l) {
        Class<?> common = null;
        for (Object o : l) {
            common = common == null || common == o.getClass() ? o.getClass() : String.class;
        }
        if (common == null || common == String.class) {
            List<String> s = new ArrayList<>();
            l.forEach(o -> s.add(String.valueOf(o)));
            return s.toArray(new String[0]);
        }
        Object array = Array.newInstance(common, l.size());
        for (int i = 0; i < l.size(); i++) {
            Array.set(array, i, l.get(i));
        }
        return array;
    }
}
