package io.fluxrig.gear.basic;

import io.fluxrig.gear.GearRejection;
import io.fluxrig.msg.FluxMsg;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The field operations of a {@code transform} gear, parsed once from configuration and applied to
 * each message. Immutable and thread-safe (pure logic: no OSGi, no I/O).
 *
 * <p>Order: every {@code set}, then every {@code meta}, then every {@code copy}, then every
 * {@code remove}, then every {@code upper}; each operation sees the result of the previous one. The message keeps its id
 * (it is the same message, changed on its way), so its path of hops stays one story.
 */
final class FieldOps {
    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_\\-]+(\\.[A-Za-z0-9_\\-]+)*");

    private record Pair(String left, String right) {
    }

    private final List<Pair> sets;
    private final List<Pair> metas;
    private final List<Pair> copies;
    private final List<String> removes;
    private final List<String> uppers;

    private FieldOps(List<Pair> sets, List<Pair> metas, List<Pair> copies, List<String> removes, List<String> uppers) {
        this.sets = sets;
        this.metas = metas;
        this.copies = copies;
        this.removes = removes;
        this.uppers = uppers;
    }

    /**
     * @param set {@code path=value} entries, or null
     * @param copy {@code from=to} entries, or null
     * @param remove paths, or null
     * @param upper paths, or null
     * @return the parsed operations
     * @throws IllegalArgumentException naming the attribute and entry when one is malformed
     */
    static FieldOps parse(String[] set, String[] copy, String[] remove, String[] upper) {
        return parse(set, null, copy, remove, upper);
    }

    /**
     * @param set {@code path=value} entries, or null
     * @param meta {@code key=value} meta entries (dotted key, text value), or null
     * @param copy {@code from=to} entries, or null
     * @param remove paths, or null
     * @param upper paths, or null
     * @return the parsed operations
     * @throws IllegalArgumentException naming the attribute and entry when one is malformed
     */
    static FieldOps parse(String[] set, String[] meta, String[] copy, String[] remove, String[] upper) {
        List<Pair> sets = pairs("set", set, false);
        List<Pair> metas = pairs("meta", meta, false);
        List<Pair> copies = pairs("copy", copy, true);
        return new FieldOps(sets, metas, copies, paths("remove", remove), paths("upper", upper));
    }

    private static List<Pair> pairs(String attribute, String[] entries, boolean rightIsPath) {
        List<Pair> out = new ArrayList<>();
        for (int i = 0; entries != null && i < entries.length; i++) {
            String e = entries[i] == null ? "" : entries[i].trim();
            if (e.isEmpty()) {
                continue; // the Web Console's form sends empty rows; they mean nothing
            }
            int eq = e.indexOf('=');
            String shape = rightIsPath ? "from=to" : "meta".equals(attribute) ? "key=value" : "path=value";
            if (eq < 0) {
                throw new IllegalArgumentException("transform config " + attribute + "[" + i + "]: '" + e
                        + "' is not " + shape);
            }
            String left = e.substring(0, eq).trim();
            String right = e.substring(eq + 1).trim();
            checkPath(attribute, i, left);
            if (rightIsPath) {
                checkPath(attribute, i, right);
            }
            out.add(new Pair(left, right));
        }
        return List.copyOf(out);
    }

    private static List<String> paths(String attribute, String[] entries) {
        List<String> out = new ArrayList<>();
        for (int i = 0; entries != null && i < entries.length; i++) {
            String p = entries[i] == null ? "" : entries[i].trim();
            if (p.isEmpty()) {
                continue;
            }
            checkPath(attribute, i, p);
            out.add(p);
        }
        return List.copyOf(out);
    }

    private static void checkPath(String attribute, int index, String path) {
        if (!PATH.matcher(path).matches()) {
            throw new IllegalArgumentException("transform config " + attribute + "[" + index + "]: '" + path
                    + "' is not a dotted path (letters, digits, '_', '-' separated by '.')");
        }
    }

    /** @return true when no operation is configured (the message passes unchanged) */
    boolean isEmpty() {
        return sets.isEmpty() && metas.isEmpty() && copies.isEmpty() && removes.isEmpty() && uppers.isEmpty();
    }

    /**
     * @param msg the input message
     * @return the message with every operation applied (same id)
     * @throws GearRejection naming the path when an operation cannot be applied to this message
     */
    FluxMsg apply(FluxMsg msg) throws GearRejection {
        FluxMsg m = msg;
        if (!sets.isEmpty()) {
            FluxMsg.Builder b = m.toBuilder();
            for (Pair s : sets) {
                put(b, "set", s.left(), s.right());
            }
            m = b.build();
        }
        if (!metas.isEmpty()) {
            FluxMsg.Builder b = m.toBuilder();
            for (Pair p : metas) {
                b.meta(p.left(), p.right());
            }
            m = b.build();
        }
        for (Pair c : copies) {
            Object v = m.get(c.left());
            if (v != null) {
                m = put(m.toBuilder(), "copy", c.right(), v).build();
            }
        }
        for (String r : removes) {
            m = remove(m, r);
        }
        for (String u : uppers) {
            Object v = m.get(u);
            if (v == null) {
                continue;
            }
            if (!(v instanceof String s)) {
                throw new GearRejection("upper " + u + ": not text but " + v.getClass().getSimpleName());
            }
            m = put(m.toBuilder(), "upper", u, s.toUpperCase(Locale.ROOT)).build();
        }
        return m;
    }

    private static FluxMsg.Builder put(FluxMsg.Builder b, String op, String path, Object value) throws GearRejection {
        try {
            return b.data(path, value);
        } catch (IllegalArgumentException e) {
            throw new GearRejection(op + " " + path + ": " + e.getMessage(), e);
        }
    }

    private static FluxMsg remove(FluxMsg m, String path) throws GearRejection {
        int dot = path.lastIndexOf('.');
        if (dot < 0) {
            return m.data().containsKey(path) ? m.toBuilder().removeData(path).build() : m;
        }
        String parentPath = path.substring(0, dot);
        String key = path.substring(dot + 1);
        Object parent = m.get(parentPath);
        if (parent instanceof Map<?, ?> map && map.containsKey(key)) {
            Map<Object, Object> copy = new LinkedHashMap<>(map);
            copy.remove(key);
            return put(m.toBuilder(), "remove", parentPath, copy).build();
        }
        if (parent instanceof List<?> list && key.chars().allMatch(Character::isDigit) && key.length() < 10
                && Integer.parseInt(key) < list.size()) {
            List<Object> copy = new ArrayList<>(list);
            copy.remove(Integer.parseInt(key));
            return put(m.toBuilder(), "remove", parentPath, copy).build();
        }
        return m;
    }
}
