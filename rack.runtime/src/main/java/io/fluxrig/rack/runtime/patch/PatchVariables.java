package io.fluxrig.rack.runtime.patch;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Patch variables: {@code ${NAME}} in a config value (text, or a text item of a list) or in a
 * wire name is replaced by the variable's value when the patch is read, e.g. {@code ${rack}}, the
 * name of the rack reading it. {@code $${} writes a literal {@code ${}. {@code ${meta.KEY}} is
 * not a variable: it stays in link-target wire names (see {@link WireTemplate}) and is refused
 * elsewhere. Immutable and thread-safe.
 *
 * @param values the variables by name
 */
public record PatchVariables(Map<String, String> values) {
    /** No variables (a patch read without a rack, e.g. by tools). */
    public static final PatchVariables NONE = new PatchVariables(Map.of());
    /** The variable holding the rack's name. */
    public static final String RACK = "rack";

    /** Copies the map. */
    public PatchVariables {
        values = Map.copyOf(values);
    }

    /** @param rack the rack name @return the variables of that rack */
    public static PatchVariables ofRack(String rack) {
        return new PatchVariables(Map.of(RACK, rack));
    }

    /**
     * @param text the text as written
     * @param keepMeta whether {@code ${meta.KEY}} placeholders are left in place (link targets)
     * @param where what the text is, for problems (e.g. "gear 'x': config set")
     * @param problems where problems are added
     * @return the text with variables replaced (the original when a problem was found)
     */
    String substitute(String text, boolean keepMeta, String where, List<String> problems) {
        if (text.indexOf('$') < 0) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '$' && text.startsWith("$${", i)) {
                b.append("${");
                i += 3;
            } else if (c == '$' && text.startsWith("${", i)) {
                int close = text.indexOf('}', i);
                if (close < 0) {
                    problems.add(where + ": '${' at offset " + i + " is not closed with '}' (write $${ for a literal ${)");
                    return text;
                }
                String name = text.substring(i + 2, close);
                if (name.startsWith("meta.")) {
                    if (!keepMeta) {
                        problems.add(where + ": '${" + name + "}' (a per-message value) is allowed only in the wire name of a link target");
                        return text;
                    }
                    b.append(text, i, close + 1);
                } else if (values.containsKey(name)) {
                    b.append(values.get(name));
                } else {
                    problems.add(where + ": unknown patch variable '${" + name + "}' (known: "
                            + (values.isEmpty() ? "none" : String.join(", ", new TreeSet<>(values.keySet())))
                            + "; write $${ for a literal ${)");
                    return text;
                }
                i = close + 1;
            } else {
                b.append(c);
                i++;
            }
        }
        return b.toString();
    }
}
