package io.fluxrig.mixer.nats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fluxrig.nats.trust.WireGrant;
import io.fluxrig.nats.trust.WireSubjects;
import io.fluxrig.snake.api.RackNames;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The wires a patch names, read the way the rack reads its links ({@code FROM -> TO} under
 * {@code links}; {@code ${rack}} is the rack's name, {@code $${} a literal {@code ${}): a wire as
 * link source is a subscription (durable {@code <rack>-<gear>-<wire>}, or {@code <group>-<gear>-<wire>}
 * when the patch names a consumer {@code group}: racks running it share those consumers), as target a publish; a
 * target computed per message ({@code wire:auth.responses.${meta.reply.rack}}) allows the whole
 * tokens before its first placeholder ({@code auth.responses.>}). Only the links are read: the
 * rack validates everything else when it applies the patch. Stateless and thread-safe.
 */
public final class PatchWires {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern WIRE = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
    private static final Pattern GEAR = Pattern.compile("[a-z][a-z0-9_-]*");
    private static final String WIRE_PREFIX = "wire:";

    private PatchWires() {
    }

    /**
     * @param rack the rack the patch is for (its {@code ${rack}})
     * @param patch the patch file
     * @return the wires it names
     * @throws IllegalArgumentException naming the link when the patch's links cannot be read
     */
    public static WireGrant of(String rack, byte[] patch) {
        JsonNode root;
        try {
            root = YAML.readTree(patch);
        } catch (IOException e) {
            throw new IllegalArgumentException("the patch is not YAML: " + e.getMessage());
        }
        JsonNode links = root == null ? null : root.get("links");
        String owner = consumerOwner(rack, root == null ? null : root.get("group"));
        Set<String> publish = new TreeSet<>();
        Set<String> prefixes = new TreeSet<>();
        Map<String, String> consumers = new TreeMap<>();
        if (links == null || links.isNull()) {
            return new WireGrant(publish, prefixes, consumers);
        }
        if (!links.isArray()) {
            throw new IllegalArgumentException("links must be a list of 'FROM -> TO'");
        }
        for (JsonNode l : links) {
            String text = l.asText("");
            int arrow = text.indexOf("->");
            if (!l.isTextual() || arrow < 0) {
                throw new IllegalArgumentException("link '" + text + "': expected 'FROM -> TO'");
            }
            String from = text.substring(0, arrow).trim();
            String to = text.substring(arrow + 2).trim();
            if (from.startsWith(WIRE_PREFIX)) {
                String wire = substitute(from.substring(WIRE_PREFIX.length()), rack);
                int dot = to.indexOf('.');
                String gear = dot < 0 ? to : to.substring(0, dot);
                if (!WIRE.matcher(wire).matches() || !GEAR.matcher(gear).matches()) {
                    throw new IllegalArgumentException("link '" + text + "': not a wire and a gear port");
                }
                consumers.put(WireSubjects.rackDurable(owner, gear, wire), wire);
            }
            if (to.startsWith(WIRE_PREFIX)) {
                String wire = substitute(to.substring(WIRE_PREFIX.length()), rack);
                int placeholder = wire.indexOf("${");
                if (placeholder >= 0) {
                    String literal = wire.substring(0, placeholder);
                    int lastDot = literal.lastIndexOf('.');
                    prefixes.add(lastDot < 0 ? "" : literal.substring(0, lastDot));
                } else if (WIRE.matcher(wire).matches()) {
                    publish.add(wire);
                } else {
                    throw new IllegalArgumentException("link '" + text + "': wire name '" + wire + "' is not a wire name");
                }
            }
        }
        return new WireGrant(publish, prefixes, consumers);
    }

    /**
     * @return whose name the patch's durable consumers carry: its {@code group} (racks with the same group
     *     share them, so each rack running the patch is granted the shared consumers), else the rack's
     */
    private static String consumerOwner(String rack, JsonNode group) {
        if (group == null || group.isNull()) {
            return rack;
        }
        String owner = group.isTextual() ? substitute(group.asText().trim(), rack) : null;
        if (owner == null || !RackNames.valid(owner)) {
            throw new IllegalArgumentException("group '" + group.asText() + "' is not a name (" + RackNames.RULE + ")");
        }
        return owner;
    }

    /** {@code ${rack}} replaced, {@code $${} made a literal {@code ${}, {@code ${meta.KEY}} kept. */
    private static String substitute(String text, String rack) {
        StringBuilder b = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("$${", i)) {
                b.append("${");
                i += 3;
            } else if (text.startsWith("${rack}", i)) {
                b.append(rack);
                i += "${rack}".length();
            } else {
                b.append(text.charAt(i++));
            }
        }
        return b.toString();
    }
}
