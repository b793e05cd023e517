package io.fluxrig.gear.json.map;

import io.fluxrig.msg.FluxMsg;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The transforms a mapping rule may apply, parsed from their mapping-file form
 * ({@code {op: pad, side: left, char: "0", length: 12}}). Every transform is immutable and
 * thread-safe; parsing reports every problem into a list instead of stopping at the first.
 */
final class Transforms {
    /** One step applied to a value. */
    @FunctionalInterface
    interface Transform {
        /**
         * @param value the value so far (never null: a missing source does not reach transforms)
         * @param msg the message being mapped (for the currency source and the reference time)
         * @return the new value
         * @throws MapError why the value cannot be transformed
         */
        Object apply(Object value, FluxMsg msg) throws MapError;
    }

    private Transforms() {
    }

    /**
     * @param spec the transform object from the mapping file
     * @param where its place, prefixed to problems
     * @param problems receives every problem found
     * @return the transform, or null when there were problems
     */
    static Transform parse(Object spec, String where, List<String> problems) {
        if (!(spec instanceof Map<?, ?> m)) {
            problems.add(where + ": a transform must be an object with 'op', not " + describe(spec));
            return null;
        }
        Params p = new Params(m, where, problems);
        String op = p.text("op", null);
        if (op == null) {
            problems.add(where + ": 'op' is required");
            return null;
        }
        int before = problems.size();
        Transform t = switch (op) {
            case "trim" -> trim(p);
            case "pad" -> pad(p);
            case "minor-to-decimal" -> minorToDecimal(p);
            case "decimal-to-minor" -> decimalToMinor(p);
            case "currency" -> currency(p);
            case "to-iso8601" -> { IsoDates.Form f = p.form(); yield (v, msg) -> IsoDates.toIso8601(f, text(v), Instant.ofEpochSecond(0, msg.ts())); }
            case "from-iso8601" -> { IsoDates.Form f = p.form(); yield (v, msg) -> IsoDates.fromIso8601(f, text(v)); }
            case "lookup" -> lookup(p);
            case "text" -> (v, msg) -> text(v);
            case "number" -> (v, msg) -> number(v);
            default -> {
                problems.add(where + ": unknown op '" + op + "' (trim, pad, minor-to-decimal, decimal-to-minor, currency, "
                        + "to-iso8601, from-iso8601, lookup, text, number)");
                yield null;
            }
        };
        p.checkUnknown(op);
        return problems.size() == before ? t : null;
    }

    private static Transform trim(Params p) {
        String side = p.choice("side", "both", Set.of("left", "right", "both"));
        char c = p.character("char", ' ');
        return (v, msg) -> {
            String s = text(v);
            int from = 0;
            int to = s.length();
            while (!"right".equals(side) && from < to && s.charAt(from) == c) {
                from++;
            }
            while (!"left".equals(side) && to > from && s.charAt(to - 1) == c) {
                to--;
            }
            return s.substring(from, to);
        };
    }

    private static Transform pad(Params p) {
        String side = p.choice("side", null, Set.of("left", "right"));
        char c = p.character("char", ' ');
        int length = p.integer("length", 1, 9999);
        return (v, msg) -> {
            String s = text(v);
            if (s.length() > length) {
                throw new MapError(s.length() + " characters, longer than the pad length " + length);
            }
            String fill = String.valueOf(c).repeat(length - s.length());
            return "left".equals(side) ? fill + s : s + fill;
        };
    }

    /** Reads {@code currency} (a source) or {@code exponent} (a fixed number); exactly one. */
    private interface Exponent {
        int of(FluxMsg msg) throws MapError;
    }

    private static Exponent exponent(Params p) {
        boolean hasCurrency = p.has("currency");
        boolean hasExponent = p.has("exponent");
        if (hasCurrency == hasExponent) {
            p.problem("state exactly one of 'currency' (a source holding the currency code) or 'exponent'");
            return null;
        }
        if (hasExponent) {
            int e = p.integer("exponent", 0, 9);
            return msg -> e;
        }
        Source src = Source.parse(p.text("currency", ""));
        return msg -> {
            Object code = src.read(msg);
            if (code == null) {
                throw new MapError("currency " + src + " is missing");
            }
            return Currencies.of(code).exponent();
        };
    }

    private static Transform minorToDecimal(Params p) {
        Exponent exp = exponent(p);
        return (v, msg) -> {
            String s = v instanceof Long l ? String.valueOf(l) : text(v);
            if (s.isEmpty() || !s.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                throw new MapError("minor units must be digits: '" + s + "'", s);
            }
            return new BigDecimal(new java.math.BigInteger(s), exp.of(msg));
        };
    }

    private static Transform decimalToMinor(Params p) {
        Exponent exp = exponent(p);
        return (v, msg) -> {
            BigDecimal d = decimal(v);
            int e = exp.of(msg);
            if (d.signum() < 0) {
                throw new MapError("amount is negative: " + d.toPlainString(), d.toPlainString());
            }
            try {
                return d.setScale(e).unscaledValue().longValueExact();
            } catch (ArithmeticException ex) {
                throw new MapError("amount " + d.toPlainString() + " does not fit " + e + " decimal places or 64 bits", d.toPlainString());
            }
        };
    }

    private static Transform currency(Params p) {
        boolean alpha = "alpha".equals(p.choice("to", null, Set.of("alpha", "numeric")));
        return (v, msg) -> alpha ? Currencies.of(v).alpha() : Currencies.of(v).numeric();
    }

    private static Transform lookup(Params p) {
        Map<String, Object> table = p.table("table");
        boolean hasDefault = p.has("default");
        Object dflt = p.raw("default");
        return (v, msg) -> {
            String key = text(v);
            if (table.containsKey(key)) {
                return table.get(key);
            }
            if (hasDefault) {
                return dflt;
            }
            throw new MapError("'" + key + "' is not in the lookup table " + table.keySet(), key);
        };
    }

    /** @return the value as text: text as is, integers and decimals as plain digits, booleans */
    static String text(Object v) throws MapError {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Long || v instanceof Boolean) {
            return v.toString();
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        throw new MapError("expected text, found " + describe(v));
    }

    private static Object number(Object v) throws MapError {
        if (v instanceof Long || v instanceof BigDecimal) {
            return v;
        }
        BigDecimal d = decimal(v);
        if (d.scale() <= 0) {
            try {
                return d.longValueExact();
            } catch (ArithmeticException e) {
                return d;
            }
        }
        return d;
    }

    private static BigDecimal decimal(Object v) throws MapError {
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof Long l) {
            return BigDecimal.valueOf(l);
        }
        String s = text(v).trim();
        if (!plainDecimal(s)) {
            throw new MapError("not a number: '" + s + "'", s);
        }
        return new BigDecimal(s);
    }

    /** {@code -?[0-9]+(\.[0-9]+)?}, checked by hand: String.matches compiles the pattern on every call. */
    static boolean plainDecimal(String s) {
        int i = s.startsWith("-") ? 1 : 0;
        int digits = 0;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
            digits++;
        }
        if (digits == 0) {
            return false;
        }
        if (i == s.length()) {
            return true;
        }
        if (s.charAt(i++) != '.' || i == s.length()) {
            return false;
        }
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i == s.length();
    }

    /** @return a short description of a value's type for messages */
    static String describe(Object v) {
        return v == null ? "null" : v instanceof Map ? "an object" : v instanceof List ? "an array"
                : v instanceof String ? "text" : v instanceof Boolean ? "a boolean" : "a " + v.getClass().getSimpleName();
    }
}
