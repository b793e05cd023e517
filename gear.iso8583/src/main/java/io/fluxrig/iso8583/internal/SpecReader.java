package io.fluxrig.iso8583.internal;

import io.fluxrig.iso8583.ContentType;
import io.fluxrig.iso8583.Encoding;
import io.fluxrig.iso8583.FieldSpec;
import io.fluxrig.iso8583.MessageSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a spec tree (see the module README for the format) into a {@link MessageSpec}, checking
 * everything and collecting every problem instead of stopping at the first, so an author fixes
 * a spec in one pass. Pure logic, thread-safe.
 */
public final class SpecReader {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]*");
    private static final Pattern MTI = Pattern.compile("[0-9]{4}");
    private static final Set<String> TOP_KEYS = Set.of("name", "description", "mti", "bitmap", "tertiary", "mandatory", "fields");

    private SpecReader() {
    }

    /**
     * @param tree the document tree
     * @param problems where every problem is added
     * @return the spec, or null when there were problems
     */
    public static MessageSpec read(Object tree, List<String> problems) {
        int before = problems.size();
        if (!(tree instanceof Map<?, ?> top)) {
            problems.add("a spec is a map with keys " + TOP_KEYS);
            return null;
        }
        for (Object k : top.keySet()) {
            if (!TOP_KEYS.contains(k)) {
                problems.add("unknown key '" + k + "' (expected one of name, description, mti, bitmap, tertiary, mandatory, fields)");
            }
        }
        String name = top.get("name") instanceof String s ? s : null;
        if (name == null || !NAME.matcher(name).matches()) {
            problems.add("name: required, lower-case letters, digits and _ . - (got " + show(top.get("name")) + ")");
        }
        String description = top.get("description") instanceof String s ? s : "";
        Encoding mti = enumOf(top.get("mti"), "ascii", "mti", Set.of(Encoding.ASCII, Encoding.EBCDIC, Encoding.BCD), problems);
        Encoding bitmap = enumOf(top.get("bitmap"), "hex", "bitmap", Set.of(Encoding.HEX, Encoding.BINARY), problems);
        Object tert = top.get("tertiary");
        if (tert != null && !(tert instanceof Boolean)) {
            problems.add("tertiary: must be true or false (got " + show(tert) + ")");
        }
        boolean tertiary = Boolean.TRUE.equals(tert);
        List<FieldSpec> fields = new ArrayList<>();
        if (!(top.get("fields") instanceof Map<?, ?> fm) || fm.isEmpty()) {
            problems.add("fields: required, a map of field number to field spec");
        } else {
            Map<String, Integer> aliases = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : fm.entrySet()) {
                FieldSpec f = FieldSpecReader.read(String.valueOf(e.getKey()), e.getValue(), tertiary, problems);
                if (f == null) {
                    continue;
                }
                if (f.alias() != null) {
                    Integer other = aliases.putIfAbsent(f.alias(), f.number());
                    if (other != null) {
                        problems.add("field " + f.number() + ": alias '" + f.alias() + "' is already used by field " + other);
                    }
                }
                fields.add(f);
            }
        }
        Map<String, int[]> mandatory = mandatory(top.get("mandatory"), fields, problems);
        if (problems.size() > before) {
            return null;
        }
        return new MessageSpec(name, description, mti, bitmap, tertiary, fields, mandatory);
    }

    private static Map<String, int[]> mandatory(Object node, List<FieldSpec> fields, List<String> problems) {
        Map<String, int[]> out = new LinkedHashMap<>();
        if (node == null) {
            return out;
        }
        if (!(node instanceof Map<?, ?> m)) {
            problems.add("mandatory: must be a map of MTI to a list of field numbers");
            return out;
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String mti = String.valueOf(e.getKey());
            if (!MTI.matcher(mti).matches()) {
                problems.add("mandatory: '" + mti + "' is not a 4-digit MTI");
            }
            if (!(e.getValue() instanceof List<?> list)) {
                problems.add("mandatory " + mti + ": must be a list of field numbers");
                continue;
            }
            int[] numbers = new int[list.size()];
            for (int i = 0; i < list.size(); i++) {
                Object v = list.get(i);
                int n = v instanceof Long l && l > 0 && l < 1000 ? l.intValue() : -1;
                if (n < 0 || fields.stream().noneMatch(f -> f.number() == n)) {
                    problems.add("mandatory " + mti + ": " + show(v) + " is not a field of this spec");
                }
                numbers[i] = n;
            }
            out.put(mti, numbers);
        }
        return out;
    }

    static Encoding enumOf(Object v, String dflt, String where, Set<Encoding> allowed, List<String> problems) {
        String code = v == null ? dflt : v instanceof String s ? s : null;
        Encoding e = code == null ? null : Encoding.of(code);
        if (e == null || !allowed.contains(e)) {
            List<String> names = allowed.stream().sorted().map(Encoding::code).toList();
            problems.add(where + ": " + show(v) + " is not one of " + names);
            return null;
        }
        return e;
    }

    static String show(Object v) {
        return v == null ? "nothing" : v instanceof String s ? "'" + s + "'" : String.valueOf(v);
    }

    static ContentType type(Object v) {
        return v instanceof String s ? ContentType.of(s) : null;
    }
}
