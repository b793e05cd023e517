package io.fluxrig.snake.api.rollout;

import io.fluxrig.snake.api.RackNames;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which racks a rollout targets: {@code all}, one rack name, or {@code label=value} expressions
 * joined by {@code ,}, all of which must hold (matched against the labels the rack got with its
 * enrolment token, the registry's {@code labels}). The one rule for the Mixer's rollouts and the
 * CLI's rig files. Immutable.
 */
public final class RackSelector {
    private final String text;
    private final String name; // a single rack, or null
    private final Map<String, String> labels; // empty for all / a name

    private RackSelector(String text, String name, Map<String, String> labels) {
        this.text = text;
        this.name = name;
        this.labels = labels;
    }

    /**
     * @param text the selector
     * @return it parsed
     * @throws IllegalArgumentException naming what is wrong
     */
    public static RackSelector parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("selector: empty (all, a rack name, or label=value[,label=value])");
        }
        if (t.equals("all")) {
            return new RackSelector(t, null, Map.of());
        }
        if (!t.contains("=")) {
            if (!RackNames.valid(t)) {
                throw new IllegalArgumentException("selector: '" + t + "' is neither all, label=value, nor a rack name: "
                        + RackNames.problem(t));
            }
            return new RackSelector(t, t, Map.of());
        }
        Map<String, String> l = new LinkedHashMap<>();
        for (String part : t.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0 || eq == part.length() - 1) {
                throw new IllegalArgumentException("selector: '" + part.strip() + "' must be label=value");
            }
            l.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
        }
        return new RackSelector(t, null, Map.copyOf(l));
    }

    /** @param rack a rack name @param rackLabels its labels @return whether the rack is targeted */
    public boolean matches(String rack, Map<String, String> rackLabels) {
        if (name != null) {
            return name.equals(rack);
        }
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (rackLabels == null || !e.getValue().equals(rackLabels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return text;
    }
}
