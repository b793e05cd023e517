package io.fluxrig.gear.json.map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fluxrig.gear.json.JsonFailure;
import io.fluxrig.gear.json.JsonValues;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates mapping documents (JSON, or YAML for {@code .yaml}/{@code .yml}), collecting
 * every problem before refusing one. Built-in mappings are resources of this bundle under
 * {@value #BUILT_IN_DIR}. Immutable and thread-safe.
 */
public final class MappingLoader {
    /** Where the shipped mappings live (JSON resources named {@code <name>.json}). */
    public static final String BUILT_IN_DIR = "/io/fluxrig/gear/json/mappings/";
    /** The shipped mappings. */
    public static final List<String> BUILT_IN = List.of("iso-auth-request", "auth-decision-iso");
    /** Largest mapping file read, in bytes: a mapping is a small local file. */
    public static final int MAX_FILE_BYTES = 1 << 20;

    private static final Set<String> DOC_KEYS = Set.of("name", "description", "rules");
    private static final Set<String> RULE_KEYS = Set.of("target", "source", "value", "optional", "default", "transforms", "description");

    private final JsonValues json = JsonValues.plain(JsonValues.configure(new com.fasterxml.jackson.core.JsonFactoryBuilder()).build());
    private final JsonValues yaml = JsonValues.plain(JsonValues.configure(YAMLFactory.builder()).build());

    /**
     * @param name a shipped mapping's name
     * @return the mapping
     * @throws MappingException when there is no such mapping (or, a build defect, it is invalid)
     */
    public Mapping builtIn(String name) throws MappingException {
        if (!BUILT_IN.contains(name)) {
            throw new MappingException(name, List.of("no built-in mapping '" + name + "' (built in: " + BUILT_IN + ")"));
        }
        try (InputStream in = MappingLoader.class.getResourceAsStream(BUILT_IN_DIR + name + ".json")) {
            if (in == null) {
                throw new MappingException(name, List.of("resource missing from the bundle"));
            }
            return parse(name, in.readAllBytes(), false);
        } catch (IOException e) {
            throw new MappingException(name, List.of("cannot read the resource: " + e));
        }
    }

    /**
     * Reads a mapping file: a small local file, read once at activation.
     *
     * @param file the file
     * @return the mapping
     * @throws MappingException listing every problem, or why the file cannot be read
     */
    public Mapping load(Path file) throws MappingException {
        String fileName = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new MappingException(file.toString(), List.of("larger than " + MAX_FILE_BYTES + " bytes"));
            }
            return parse(file.toString(), Files.readAllBytes(file), fileName.endsWith(".yaml") || fileName.endsWith(".yml"));
        } catch (IOException e) {
            throw new MappingException(file.toString(), List.of("cannot read: " + e));
        }
    }

    /**
     * @param origin the file or name, for messages
     * @param text the document
     * @param isYaml YAML rather than JSON
     * @return the mapping
     * @throws MappingException listing every problem
     */
    public Mapping parse(String origin, byte[] text, boolean isYaml) throws MappingException {
        Object doc;
        try {
            doc = (isYaml ? yaml : json).read(text);
        } catch (JsonFailure e) {
            throw new MappingException(origin, List.of("not valid " + (isYaml ? "YAML" : "JSON") + " " + e.getMessage()));
        }
        List<String> problems = new ArrayList<>();
        if (!(doc instanceof Map<?, ?> m)) {
            throw new MappingException(origin, List.of("the document must be an object with 'name' and 'rules'"));
        }
        unknownKeys(m, DOC_KEYS, "document", problems);
        String name = m.get("name") instanceof String s && s.matches("[a-z0-9][a-z0-9_.-]*") ? s : null;
        if (name == null) {
            problems.add("document: 'name' must be text matching [a-z0-9][a-z0-9_.-]*, found " + Transforms.describe(m.get("name")));
        }
        List<Rule> rules = new ArrayList<>();
        if (!(m.get("rules") instanceof List<?> list) || list.isEmpty()) {
            problems.add("document: 'rules' must be a non-empty array");
        } else {
            for (int i = 0; i < list.size(); i++) {
                Rule r = rule(list.get(i), "rules[" + i + "]", problems);
                if (r != null) {
                    rules.add(r);
                }
            }
            overlaps(rules, problems);
        }
        if (!problems.isEmpty()) {
            throw new MappingException(name != null ? name + " (" + origin + ")" : origin, problems);
        }
        return new Mapping(name, List.copyOf(rules));
    }

    private static Rule rule(Object spec, String where, List<String> problems) {
        if (!(spec instanceof Map<?, ?> m)) {
            problems.add(where + ": a rule must be an object, not " + Transforms.describe(spec));
            return null;
        }
        int before = problems.size();
        Pointer target = null;
        if (!(m.get("target") instanceof String t)) {
            problems.add(where + ": 'target' (a JSON Pointer) is required");
        } else {
            try {
                target = Pointer.parse(t);
                where = where + " (" + t + ")";
            } catch (IllegalArgumentException e) {
                problems.add(where + ": target " + e.getMessage());
            }
        }
        unknownKeys(m, RULE_KEYS, where, problems);
        Object src = m.get("source");
        boolean hasSource = m.containsKey("source");
        if (hasSource == m.containsKey("value")) {
            problems.add(where + ": state exactly one of 'source' (data path or meta:key) or 'value' (a constant)");
        } else if (hasSource && !(src instanceof String || src instanceof Long)) {
            problems.add(where + ": 'source' must be text (a data path or meta:key), not " + Transforms.describe(src));
        } else if (hasSource && String.valueOf(src).isEmpty()) {
            problems.add(where + ": 'source' is empty");
        }
        Object optional = m.get("optional");
        if (optional != null && !(optional instanceof Boolean)) {
            problems.add(where + ": 'optional' must be true or false");
        }
        if (!hasSource && (optional != null || m.containsKey("default") || m.containsKey("transforms"))) {
            problems.add(where + ": a constant 'value' takes no 'optional', 'default' or 'transforms'");
        }
        List<Transforms.Transform> transforms = new ArrayList<>();
        Object ts = m.get("transforms");
        if (ts != null && !(ts instanceof List)) {
            problems.add(where + ": 'transforms' must be an array");
        } else if (ts != null) {
            List<?> list = (List<?>) ts;
            for (int i = 0; i < list.size(); i++) {
                transforms.add(Transforms.parse(list.get(i), where + ": transforms[" + i + "]", problems));
            }
        }
        if (problems.size() != before) {
            return null;
        }
        return new Rule(target, hasSource ? Source.parse(String.valueOf(src)) : null, m.get("value"),
                Boolean.TRUE.equals(optional), m.containsKey("default"), m.get("default"), List.copyOf(transforms));
    }

    private static void overlaps(List<Rule> rules, List<String> problems) {
        for (int i = 0; i < rules.size(); i++) {
            for (int j = i + 1; j < rules.size(); j++) {
                if (rules.get(i).target().overlaps(rules.get(j).target())) {
                    problems.add("targets " + rules.get(i).target() + " and " + rules.get(j).target()
                            + (rules.get(i).target().equals(rules.get(j).target()) ? " repeat each other" : " overlap (one lies inside the other)"));
                }
            }
        }
    }

    private static void unknownKeys(Map<?, ?> m, Set<String> allowed, String where, List<String> problems) {
        for (Object k : m.keySet()) {
            if (!allowed.contains(String.valueOf(k))) {
                problems.add(where + ": unknown key '" + k + "' (allowed: " + new java.util.TreeSet<>(allowed) + ")");
            }
        }
    }
}
