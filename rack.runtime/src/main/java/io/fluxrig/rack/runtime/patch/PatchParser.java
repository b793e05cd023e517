package io.fluxrig.rack.runtime.patch;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fluxrig.rack.runtime.patch.YamlTree.Node;
import io.fluxrig.snake.api.RackNames;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Parses the patch YAML (see the module README) into a {@link Patch}, collecting every structural
 * problem with its line and column instead of stopping at the first. Pure logic, thread-safe.
 */
public final class PatchParser {
    /** Gear instance names. */
    public static final Pattern INSTANCE = Pattern.compile("[a-z][a-z0-9_-]*");
    /** Port names. */
    public static final Pattern PORT = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");
    /** Wire names (as the Wire SPI allows them). */
    public static final Pattern WIRE = Pattern.compile("[A-Za-z0-9._-]+");

    private PatchParser() {
    }

    /**
     * @param text the patch file content
     * @return the patch and every problem found; without variables ({@code ${rack}} is refused)
     */
    public static ParsedPatch parse(String text) {
        return parse(text, PatchVariables.NONE);
    }

    /**
     * @param text the patch file content
     * @param vars the patch variables ({@code ${rack}}) replaced in config values and wire names
     * @return the patch and every problem found
     */
    public static ParsedPatch parse(String text, PatchVariables vars) {
        List<String> problems = new ArrayList<>();
        Node root;
        try {
            root = YamlTree.read(text, problems);
        } catch (JsonProcessingException e) {
            problems.add(syntaxError(e));
            return new ParsedPatch(Patch.EMPTY, problems);
        } catch (IOException e) {
            problems.add("cannot read patch: " + e.getMessage());
            return new ParsedPatch(Patch.EMPTY, problems);
        }
        if (root == null || root.value() == null) {
            return new ParsedPatch(Patch.EMPTY, problems);
        }
        if (!(root.value() instanceof Map<?, ?> top)) {
            problems.add(root.at() + ": a patch is a map with keys rack, gears, links");
            return new ParsedPatch(Patch.EMPTY, problems);
        }
        String rack = null;
        String group = null;
        Map<String, GearSpec> gears = new LinkedHashMap<>();
        List<Link> links = new ArrayList<>();
        for (Map.Entry<?, ?> e : top.entrySet()) {
            Node value = (Node) e.getValue();
            switch ((String) e.getKey()) {
                case "rack" -> rack = value.value() == null ? null : String.valueOf(value.value());
                case "group" -> group = group(value, vars, problems);
                case "gears" -> gears(value, gears, vars, problems);
                case "links" -> links(value, links, vars, problems);
                default -> problems.add(value.at() + ": unknown key '" + e.getKey() + "' (expected rack, group, gears, links)");
            }
        }
        return new ParsedPatch(new Patch(rack, group, gears, links), problems);
    }

    /** The consumer group: a rack name by the rack-name rule ({@code ${rack}} allowed), or null when absent. */
    private static String group(Node node, PatchVariables vars, List<String> problems) {
        if (node.value() == null) {
            return null;
        }
        if (!(node.value() instanceof String text)) {
            problems.add(node.at() + ": group must be a name (" + RackNames.RULE + ")");
            return null;
        }
        int before = problems.size();
        String group = vars.substitute(text.trim(), false, node.at() + ": group", problems);
        if (problems.size() > before) {
            return null;
        }
        String refused = RackNames.problem(group);
        if (refused != null) {
            problems.add(node.at() + ": group '" + group + "': " + refused);
            return null;
        }
        return group;
    }

    private static void gears(Node node, Map<String, GearSpec> out, PatchVariables vars, List<String> problems) {
        if (node.value() == null) {
            return;
        }
        if (!(node.value() instanceof Map<?, ?> map)) {
            problems.add(node.at() + ": gears must be a map of instance name to {type, config}");
            return;
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String name = (String) e.getKey();
            Node spec = (Node) e.getValue();
            if (!INSTANCE.matcher(name).matches()) {
                problems.add(spec.at() + ": gear name '" + name + "' must match [a-z][a-z0-9_-]*");
            }
            GearSpec g = gear(name, spec, vars, problems);
            if (g != null) {
                out.put(name, g);
            }
        }
    }

    private static GearSpec gear(String name, Node spec, PatchVariables vars, List<String> problems) {
        if (spec.value() instanceof String type) {
            return new GearSpec(name, type, Map.of()); // shorthand: "out: log"
        }
        if (!(spec.value() instanceof Map<?, ?> fields)) {
            problems.add(spec.at() + ": gear '" + name + "' must be {type: ..., config: {...}}");
            return null;
        }
        String type = null;
        Map<String, Object> config = new LinkedHashMap<>();
        for (Map.Entry<?, ?> f : fields.entrySet()) {
            Node v = (Node) f.getValue();
            switch ((String) f.getKey()) {
                case "type" -> {
                    if (v.value() instanceof String s && !s.isBlank()) {
                        type = s.trim();
                    } else {
                        problems.add(v.at() + ": gear '" + name + "': type must be a gear type name");
                    }
                }
                case "config" -> config(name, v, config, vars, problems);
                default -> problems.add(v.at() + ": gear '" + name + "': unknown key '" + f.getKey()
                        + "' (expected type, config)");
            }
        }
        if (type == null) {
            if (!fields.containsKey("type")) {
                problems.add(spec.at() + ": gear '" + name + "' has no type");
            }
            return null;
        }
        return new GearSpec(name, type, java.util.Collections.unmodifiableMap(config));
    }

    private static void config(String gear, Node node, Map<String, Object> out, PatchVariables vars,
            List<String> problems) {
        if (node.value() == null) {
            return;
        }
        if (!(node.value() instanceof Map<?, ?> map)) {
            problems.add(node.at() + ": gear '" + gear + "': config must be a map");
            return;
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            Node v = (Node) e.getValue();
            if (v.value() instanceof Map) {
                problems.add(v.at() + ": gear '" + gear + "': config " + e.getKey() + ": a map is not a config value");
            } else if (v.value() instanceof List<?> items) {
                List<Object> values = new ArrayList<>();
                for (Object o : items) {
                    Node item = (Node) o;
                    if (item.value() instanceof Map || item.value() instanceof List || item.value() == null) {
                        problems.add(item.at() + ": gear '" + gear + "': config " + e.getKey()
                                + ": list items must be plain values");
                    } else {
                        values.add(substitute(vars, item, gear, (String) e.getKey(), problems));
                    }
                }
                out.put((String) e.getKey(), List.copyOf(values));
            } else if (v.value() != null) {
                out.put((String) e.getKey(), substitute(vars, v, gear, (String) e.getKey(), problems)); // null: default
            }
        }
    }

    private static Object substitute(PatchVariables vars, Node value, String gear, String key, List<String> problems) {
        if (value.value() instanceof String text) {
            return vars.substitute(text, false, value.at() + ": gear '" + gear + "': config " + key, problems);
        }
        return value.value();
    }

    private static void links(Node node, List<Link> out, PatchVariables vars, List<String> problems) {
        if (node.value() == null) {
            return;
        }
        if (!(node.value() instanceof List<?> items)) {
            problems.add(node.at() + ": links must be a list of 'FROM -> TO'");
            return;
        }
        Set<Link> seen = new HashSet<>();
        for (Object o : items) {
            Node item = (Node) o;
            if (!(item.value() instanceof String text)) {
                problems.add(item.at() + ": a link is text 'gear.port -> gear.port' (or wire:NAME on one side)");
                continue;
            }
            Link link = link(item, text, vars, problems);
            if (link != null && !seen.add(link)) {
                problems.add(item.at() + ": link '" + link + "' is listed twice");
            } else if (link != null) {
                out.add(link);
            }
        }
    }

    private static Link link(Node at, String text, PatchVariables vars, List<String> problems) {
        int arrow = text.indexOf("->");
        if (arrow < 0 || text.indexOf("->", arrow + 2) >= 0) {
            problems.add(at.at() + ": link '" + text + "': expected 'FROM -> TO'");
            return null;
        }
        Endpoint from = endpoint(at, text, text.substring(0, arrow).trim(), false, vars, problems);
        Endpoint to = endpoint(at, text, text.substring(arrow + 2).trim(), true, vars, problems);
        if (from == null || to == null) {
            return null;
        }
        if (from.isWire() && to.isWire()) {
            problems.add(at.at() + ": link '" + text + "': connects two wires; one side must be a gear port");
            return null;
        }
        return new Link(from, to);
    }

    private static Endpoint endpoint(Node at, String link, String side, boolean target, PatchVariables vars,
            List<String> problems) {
        if (side.startsWith(Endpoint.WIRE_PREFIX)) {
            String where = at.at() + ": link '" + link + "'";
            int before = problems.size();
            String wire = vars.substitute(side.substring(Endpoint.WIRE_PREFIX.length()), target, where, problems);
            if (problems.size() > before) {
                return null;
            }
            if (WireTemplate.isTemplate(wire)) {
                try {
                    WireTemplate.parse(wire);
                    return Endpoint.wire(wire);
                } catch (IllegalArgumentException e) {
                    problems.add(where + ": wire template '" + wire + "': " + e.getMessage());
                    return null;
                }
            }
            if (WIRE.matcher(wire).matches()) {
                return Endpoint.wire(wire);
            }
            problems.add(at.at() + ": link '" + link + "': wire name '" + wire
                    + "' must be letters, digits, '.', '-', '_'");
            return null;
        }
        int dot = side.indexOf('.');
        String gear = dot < 0 ? side : side.substring(0, dot);
        String port = dot < 0 ? "" : side.substring(dot + 1);
        if (dot < 0 || !INSTANCE.matcher(gear).matches() || !PORT.matcher(port).matches()) {
            problems.add(at.at() + ": link '" + link + "': '" + side + "' is not gear.port or wire:NAME");
            return null;
        }
        return Endpoint.gear(gear, port);
    }

    /**
     * The parser's own words: where it stopped, what it expected there ("expected ',' or '}', but
     * got :"), and where the construct it was reading began. SnakeYAML's marks are 0-based.
     */
    private static String syntaxError(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException m && m.getProblem() != null && m.getProblemMark() != null) {
            String started = m.getContext() == null || m.getContextMark() == null ? ""
                    : " (" + m.getContext() + " at line " + (m.getContextMark().getLine() + 1) + ", column "
                            + (m.getContextMark().getColumn() + 1) + ")";
            return "YAML syntax error at line " + (m.getProblemMark().getLine() + 1) + ", column "
                    + (m.getProblemMark().getColumn() + 1) + ": " + m.getProblem() + started;
        }
        String where = e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        return "YAML syntax error" + where + ": " + firstLine(e.getOriginalMessage());
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }
}
