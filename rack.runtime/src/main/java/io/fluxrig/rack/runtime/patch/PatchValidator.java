package io.fluxrig.rack.runtime.patch;

import io.fluxrig.gear.Gear;
import io.fluxrig.rack.runtime.catalog.ConfigConverter;
import io.fluxrig.rack.runtime.catalog.GearTypeInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a patch against the known gear types and lists every problem, so an operator fixes a
 * patch in one go: unknown types (naming the known ones), links to unknown gears or ports, links
 * from a port that is not an output or to one that is not an input, invalid or unknown
 * configuration values. Pure logic, thread-safe.
 */
public final class PatchValidator {
    /** Configuration keys the rack sets itself; a patch may not set them. */
    public static final Set<String> RESERVED = Set.of(Gear.INSTANCE, "fluxrig.rack", "service.pid",
            "service.factoryPid", "component.name", "component.id");

    private PatchValidator() {
    }

    /**
     * @param text the patch file content
     * @param types the known gear types by name
     * @return the verdict, including parse problems
     */
    public static Validation validate(String text, Map<String, GearTypeInfo> types) {
        return validate(text, types, PatchVariables.NONE);
    }

    /**
     * @param text the patch file content
     * @param types the known gear types by name
     * @param vars the patch variables ({@code ${rack}})
     * @return the verdict, including parse problems
     */
    public static Validation validate(String text, Map<String, GearTypeInfo> types, PatchVariables vars) {
        ParsedPatch parsed = PatchParser.parse(text, vars);
        return validate(parsed.patch(), parsed.problems(), types);
    }

    /**
     * @param patch a parsed patch
     * @param parseProblems problems the parser found (listed first)
     * @param types the known gear types by name
     * @return the verdict
     */
    public static Validation validate(Patch patch, List<String> parseProblems, Map<String, GearTypeInfo> types) {
        List<String> problems = new ArrayList<>(parseProblems);
        Map<String, Map<String, Object>> configs = new HashMap<>();
        int unknownTypes = 0;
        for (GearSpec g : patch.gears().values()) {
            GearTypeInfo type = types.get(g.type());
            if (type == null) {
                unknownTypes++;
                problems.add("gear '" + g.name() + "': unknown gear type '" + g.type() + "' (known: "
                        + (types.isEmpty() ? "none" : String.join(", ", types.keySet())) + ")");
                continue;
            }
            for (String key : g.config().keySet()) {
                if (RESERVED.contains(key)) {
                    problems.add("gear '" + g.name() + "': config key '" + key + "' is set by the rack");
                }
            }
            Map<String, Object> raw = new HashMap<>(g.config());
            raw.keySet().removeAll(RESERVED);
            configs.put(g.name(), ConfigConverter.convert(g.name(), raw, type.attributes(), problems));
        }
        Set<String> wireConsumers = new HashSet<>();
        for (Link link : patch.links()) {
            checkEnd(link, link.from(), true, patch, types, problems);
            checkEnd(link, link.to(), false, patch, types, problems);
            if (link.from().isWire() && !wireConsumers.add(link.from().wire() + " " + link.to().gear())) {
                problems.add("link '" + link + "': gear '" + link.to().gear() + "' already reads wire '"
                        + link.from().wire() + "' (one subscription per wire and gear)");
            }
        }
        return new Validation(patch, problems, configs, unknownTypes > 0, unknownTypes);
    }

    private static void checkEnd(Link link, Endpoint end, boolean from, Patch patch,
            Map<String, GearTypeInfo> types, List<String> problems) {
        if (end.isWire()) {
            return;
        }
        GearSpec g = patch.gears().get(end.gear());
        if (g == null) {
            problems.add("link '" + link + "': unknown gear '" + end.gear() + "'");
            return;
        }
        GearTypeInfo type = types.get(g.type());
        if (type == null) {
            return; // already reported as an unknown type
        }
        if (from && !type.hasOutput(end.port())) {
            problems.add("link '" + link + "': gear '" + g.name() + "' (" + g.type() + ") has no output port '"
                    + end.port() + "' (outputs: " + type.outputs() + ")");
        } else if (!from && !type.hasInput(end.port())) {
            problems.add("link '" + link + "': gear '" + g.name() + "' (" + g.type() + ") has no input port '"
                    + end.port() + "' (inputs: " + type.inputs() + ")");
        }
    }
}
