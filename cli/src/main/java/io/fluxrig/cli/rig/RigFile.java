package io.fluxrig.cli.rig;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fluxrig.snake.api.rollout.RackSelector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;

/**
 * A rig file: the desired state of a fleet, read by {@code fluxrig plan} and {@code fluxrig apply}.
 * This class is the format's one definition (cli/README.md documents it):
 * <pre>
 * rollout:                       # optional: how apply rolls a difference out (defaults shown)
 *   waves: [1, 100%]             # cumulative wave sizes, counts or shares; the first is the canary
 *   soak: 30s                    # healthy time per rack before it counts as done (ms, s, m, h)
 *   max-failures: 0              # failed racks tolerated before on-failure acts
 *   on-failure: rollback         # rollback (each changed rack restores what it kept) or pause
 *   deadline: 10m                # the longest a rack may stay in one rollout state
 *   include-new: false           # racks that join the selector while a rollout runs are included
 *   max-error-rate: 25%          # health gate: highest error rate (5% or 0.05) of the touched gears
 *   max-p99: 1s                  # health gate: highest p99 processing time of the touched gears
 * racks:                         # one entry per group of racks that should run the same thing
 *   - select: role=core          # a rack name, label=value[,label=value], or all
 *     bundles:                   # release files (FILE.sig beside a file is its signed release)
 *       - gear.json-1.0.0.jar
 *     patch: core.yaml           # the patch these racks run
 * </pre>
 * Files are relative to the rig file's folder. Every entry needs {@code select} and a bundle or a
 * patch; a rack may be selected by one entry only (checked against the fleet by the planner).
 * Anything else is refused as {@link RigException}, naming the file, the line and the field
 * ({@code rig.yaml:7: racks[0].bundles[1]: no such file gear.x.jar}).
 *
 * <p>Immutable once read; reading touches only the rig file and the files it names.
 */
public record RigFile(Path file, Options rollout, List<Entry> racks) {
    /**
     * How {@code apply} rolls out (the rollout API's request fields).
     *
     * @param waves cumulative wave sizes
     * @param soakMillis soak per rack
     * @param maxFailures failed racks tolerated
     * @param onFailure {@code rollback} or {@code pause}
     * @param deadlineMillis the progress deadline
     * @param includeNew whether racks joining the selector are included
     * @param maxErrorRate the health gate's error-rate limit (0 to 1), or null for the Mixer's default
     * @param maxP99Millis the health gate's p99 limit (ms), or null for the Mixer's default
     */
    public record Options(List<String> waves, long soakMillis, int maxFailures, String onFailure, long deadlineMillis,
            boolean includeNew, Double maxErrorRate, Double maxP99Millis) {
        /** Options with the Mixer's default health limits. */
        public Options(List<String> waves, long soakMillis, int maxFailures, String onFailure, long deadlineMillis,
                boolean includeNew) {
            this(waves, soakMillis, maxFailures, onFailure, deadlineMillis, includeNew, null, null);
        }

        /** The defaults. */
        static Options defaults() {
            return new Options(List.of("1", "100%"), 30_000, 0, "rollback", 600_000, false);
        }
    }

    /**
     * One group of racks and what they should run.
     *
     * @param index its position under {@code racks}
     * @param line its line in the rig file
     * @param select the selector
     * @param bundles the bundle release files, in order
     * @param patch the patch file, or null
     */
    public record Entry(int index, int line, String select, List<Artifact> bundles, Artifact patch) {
        /** @return how to name it in messages, e.g. {@code racks[0] (role=core)} */
        public String label() {
            return "racks[" + index + "] (" + select + ")";
        }
    }

    /** The fields of the top level, of {@code rollout}, and of a {@code racks} entry. */
    static final Set<String> TOP = Set.of("rollout", "racks");
    static final Set<String> ROLLOUT = Set.of("waves", "soak", "max-failures", "on-failure", "deadline", "include-new",
            "max-error-rate", "max-p99");
    static final Set<String> ENTRY = Set.of("select", "bundles", "patch");
    private static final Pattern WAVE = Pattern.compile("[1-9][0-9]{0,5}%?");

    /** A refused rig file: the message names file, line and field. */
    public static final class RigException extends Exception {
        private static final long serialVersionUID = 1L;

        RigException(Path file, int line, String field, String reason) {
            super(file + ":" + line + ": " + (field.isEmpty() ? "" : field + ": ") + reason);
        }
    }

    /**
     * @param file a rig file
     * @return it, with every file it names read (digests, bundle names)
     * @throws RigException naming the file, line and field of the first problem
     * @throws IOException when the rig file cannot be read
     */
    public static RigFile read(Path file) throws RigException, IOException {
        if (!Files.isRegularFile(file)) {
            throw new RigException(file, 0, "", "no such file");
        }
        Node root;
        try (JsonParser p = new YAMLFactory().createParser(file.toFile())) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new RigException(file, 1, "", "empty: a rig file needs 'racks'");
            }
            root = Node.read(p, file, "");
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new RigException(file, line, "", "not YAML: " + e.getOriginalMessage().strip().replaceAll("\\s*\\R\\s*", "; "));
        }
        Path base = file.toAbsolutePath().getParent();
        Map<String, Node> top = root.map(file, TOP);
        Options options = top.containsKey("rollout") ? options(file, top.get("rollout")) : Options.defaults();
        Node racks = top.get("racks");
        if (racks == null) {
            throw new RigException(file, root.line, "racks", "required: a list of {select, bundles, patch}");
        }
        List<Node> list = racks.list(file);
        if (list.isEmpty()) {
            throw new RigException(file, racks.line, "racks", "empty: name at least one group of racks");
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            entries.add(entry(file, base, i, list.get(i)));
        }
        return new RigFile(file, options, List.copyOf(entries));
    }

    private static Options options(Path file, Node node) throws RigException {
        Map<String, Node> m = node.map(file, ROLLOUT);
        Options d = Options.defaults();
        List<String> waves = d.waves();
        if (m.containsKey("waves")) {
            Node w = m.get("waves");
            List<String> given = new ArrayList<>();
            if (w.scalar != null) {
                for (String part : w.scalar.split(",")) {
                    given.add(part.strip());
                }
            } else {
                for (Node x : w.list(file)) {
                    given.add(x.text(file));
                }
            }
            for (int i = 0; i < given.size(); i++) {
                if (!WAVE.matcher(given.get(i)).matches()) {
                    throw new RigException(file, w.line, w.path + "[" + i + "]", "'" + given.get(i)
                            + "' must be a count (1) or a share (10%)");
                }
            }
            if (given.isEmpty()) {
                throw new RigException(file, w.line, w.path, "empty: give at least one wave, e.g. [1, 100%]");
            }
            waves = List.copyOf(given);
        }
        long soak = m.containsKey("soak") ? millis(file, m.get("soak")) : d.soakMillis();
        long deadline = m.containsKey("deadline") ? millis(file, m.get("deadline")) : d.deadlineMillis();
        if (deadline < 1000) {
            throw new RigException(file, m.get("deadline").line, m.get("deadline").path, "must be 1s or more");
        }
        int failures = d.maxFailures();
        if (m.containsKey("max-failures")) {
            Node f = m.get("max-failures");
            String t = f.text(file);
            if (!t.matches("[0-9]{1,6}")) {
                throw new RigException(file, f.line, f.path, "'" + t + "' must be a count, 0 or more");
            }
            failures = Integer.parseInt(t);
        }
        String onFailure = d.onFailure();
        if (m.containsKey("on-failure")) {
            Node f = m.get("on-failure");
            onFailure = f.text(file);
            if (!onFailure.equals("rollback") && !onFailure.equals("pause")) {
                throw new RigException(file, f.line, f.path, "'" + onFailure + "' must be rollback or pause");
            }
        }
        boolean includeNew = d.includeNew();
        if (m.containsKey("include-new")) {
            Node f = m.get("include-new");
            String t = f.text(file);
            if (!t.equals("true") && !t.equals("false")) {
                throw new RigException(file, f.line, f.path, "'" + t + "' must be true or false");
            }
            includeNew = Boolean.parseBoolean(t);
        }
        Double maxErrorRate = m.containsKey("max-error-rate") ? limit(file, m.get("max-error-rate"), HealthLimits::errorRate) : null;
        Double maxP99 = m.containsKey("max-p99") ? limit(file, m.get("max-p99"), HealthLimits::p99Millis) : null;
        return new Options(waves, soak, failures, onFailure, deadline, includeNew, maxErrorRate, maxP99);
    }

    private static long millis(Path file, Node node) throws RigException {
        return limit(file, node, t -> (double) HealthLimits.millis(t)).longValue();
    }

    /** @return the node's value read by {@code parse}, its refusal named with the file, line and field */
    private static Double limit(Path file, Node node, ToDoubleFunction<String> parse) throws RigException {
        String t = node.text(file);
        try {
            return parse.applyAsDouble(t);
        } catch (IllegalArgumentException e) {
            throw new RigException(file, node.line, node.path, e.getMessage());
        }
    }

    private static Entry entry(Path file, Path base, int index, Node node) throws RigException {
        Map<String, Node> m = node.map(file, ENTRY);
        Node select = m.get("select");
        if (select == null) {
            throw new RigException(file, node.line, node.path + ".select", "required: a rack name, label=value[,label=value] or all");
        }
        String selector = select.text(file);
        try {
            RackSelector.parse(selector);
        } catch (IllegalArgumentException e) {
            throw new RigException(file, select.line, select.path, e.getMessage().replaceFirst("^selector: ", ""));
        }
        List<Artifact> bundles = new ArrayList<>();
        Map<String, String> names = new LinkedHashMap<>();
        if (m.containsKey("bundles")) {
            for (Node b : m.get("bundles").list(file)) {
                Artifact a = artifact(file, base, b, true);
                String earlier = names.putIfAbsent(a.name(), b.path);
                if (earlier != null) {
                    throw new RigException(file, b.line, b.path, "bundle " + a.name() + " is named twice (also " + earlier + ")");
                }
                bundles.add(a);
            }
        }
        Artifact patch = m.containsKey("patch") ? artifact(file, base, m.get("patch"), false) : null;
        if (bundles.isEmpty() && patch == null) {
            throw new RigException(file, node.line, node.path, "give bundles, a patch or both for the racks it selects");
        }
        return new Entry(index, node.line, selector, List.copyOf(bundles), patch);
    }

    private static Artifact artifact(Path file, Path base, Node node, boolean bundle) throws RigException {
        String name = node.text(file);
        Path f = base.resolve(name).normalize();
        if (!Files.isRegularFile(f)) {
            throw new RigException(file, node.line, node.path, "no such file " + name + " (relative to " + base + ")");
        }
        try {
            return bundle ? Artifact.bundle(f) : Artifact.patch(f);
        } catch (IllegalArgumentException e) {
            throw new RigException(file, node.line, node.path, e.getMessage());
        } catch (IOException e) {
            throw new RigException(file, node.line, node.path, name + " cannot be read: " + e.getMessage());
        }
    }

    /**
     * A YAML value with the line it starts on and its path from the root, for messages. Only
     * what a rig file uses: maps with string keys, lists and scalars.
     */
    private static final class Node {
        final int line;
        final String path;
        final String scalar; // null for a map or list
        final Map<String, Node> fields; // null unless a map
        final List<Node> items; // null unless a list

        private Node(int line, String path, String scalar, Map<String, Node> fields, List<Node> items) {
            this.line = line;
            this.path = path;
            this.scalar = scalar;
            this.fields = fields;
            this.items = items;
        }

        /** Reads the value at the parser's current token. */
        static Node read(JsonParser p, Path file, String path) throws IOException, RigException {
            int line = p.currentTokenLocation().getLineNr();
            JsonToken t = p.currentToken();
            if (t == JsonToken.START_OBJECT) {
                Map<String, Node> fields = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    int keyLine = p.currentTokenLocation().getLineNr();
                    String child = path.isEmpty() ? key : path + "." + key;
                    p.nextToken();
                    Node value = read(p, file, child);
                    if (fields.putIfAbsent(key, value) != null) {
                        throw new RigException(file, keyLine, child, "given twice");
                    }
                }
                return new Node(line, path, null, fields, null);
            }
            if (t == JsonToken.START_ARRAY) {
                List<Node> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(p, file, path + "[" + items.size() + "]"));
                }
                return new Node(line, path, null, null, items);
            }
            return new Node(line, path, t == JsonToken.VALUE_NULL ? "" : p.getText(), null, null);
        }

        /** @return the fields of a map, refusing a field not in {@code known} */
        Map<String, Node> map(Path file, Set<String> known) throws RigException {
            if (fields == null) {
                throw new RigException(file, line, path, "must be a map with " + String.join(", ", known.stream().sorted().toList()));
            }
            for (Map.Entry<String, Node> e : fields.entrySet()) {
                if (!known.contains(e.getKey())) {
                    throw new RigException(file, e.getValue().line, e.getValue().path, "unknown field (known here: "
                            + String.join(", ", known.stream().sorted().toList()) + ")");
                }
            }
            return fields;
        }

        List<Node> list(Path file) throws RigException {
            if (items == null) {
                throw new RigException(file, line, path, "must be a list");
            }
            return items;
        }

        String text(Path file) throws RigException {
            if (scalar == null || scalar.isBlank()) {
                throw new RigException(file, line, path, scalar == null ? "must be a single value" : "empty");
            }
            return scalar.strip();
        }
    }
}
