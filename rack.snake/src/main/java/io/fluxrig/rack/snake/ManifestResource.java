package io.fluxrig.rack.snake;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import org.osgi.framework.Version;
import org.osgi.framework.VersionRange;
import org.osgi.resource.Capability;
import org.osgi.resource.Requirement;
import org.osgi.resource.Resource;

/**
 * A candidate bundle as a {@link Resource} read from its manifest alone, without installing it:
 * its identity, exported packages and provided capabilities, and its requirements
 * (Import-Package, Require-Bundle, Require-Capability). Enough for the framework's resolver to say
 * whether the bundle would resolve on this rack. Dynamic imports are left out (they never block
 * resolution). Immutable.
 */
final class ManifestResource implements Resource {
    private final String symbolicName;
    private final Version version;
    private final boolean fragment;
    private final List<Capability> capabilities = new ArrayList<>();
    private final List<Requirement> requirements = new ArrayList<>();

    /**
     * @param m the bundle's manifest
     * @throws IllegalArgumentException naming the header when the manifest is not a bundle's or a header is malformed
     */
    ManifestResource(Manifest m) {
        Attributes a = m.getMainAttributes();
        String bsnHeader = a.getValue("Bundle-SymbolicName");
        if (bsnHeader == null || bsnHeader.isBlank()) {
            throw new IllegalArgumentException("Bundle-SymbolicName: missing (not an OSGi bundle)");
        }
        Clause bsn = Clause.parse("Bundle-SymbolicName", bsnHeader).get(0);
        this.symbolicName = bsn.names().get(0);
        try {
            this.version = Version.parseVersion(a.getValue("Bundle-Version") == null ? "0" : a.getValue("Bundle-Version").trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Bundle-Version: " + e.getMessage());
        }
        this.fragment = a.getValue("Fragment-Host") != null;
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("osgi.identity", symbolicName);
        identity.put("version", version);
        identity.put("type", fragment ? "osgi.fragment" : "osgi.bundle");
        capabilities.add(new Cap("osgi.identity", identity, Map.of()));
        if (!fragment) {
            capabilities.add(new Cap("osgi.wiring.bundle", Map.of("osgi.wiring.bundle", symbolicName, "bundle-version", version), Map.of()));
            capabilities.add(new Cap("osgi.wiring.host", Map.of("osgi.wiring.host", symbolicName, "bundle-version", version), Map.of()));
        }
        for (Clause c : Clause.parse("Export-Package", a.getValue("Export-Package"))) {
            for (String pkg : c.names()) {
                Map<String, Object> attrs = new LinkedHashMap<>();
                attrs.put("osgi.wiring.package", pkg);
                attrs.put("version", Version.parseVersion(String.valueOf(c.attributes().getOrDefault("version", "0.0.0"))));
                attrs.put("bundle-symbolic-name", symbolicName);
                attrs.put("bundle-version", version);
                Map<String, String> dirs = new LinkedHashMap<>();
                if (c.directives().containsKey("uses")) {
                    dirs.put("uses", c.directives().get("uses"));
                }
                capabilities.add(new Cap("osgi.wiring.package", attrs, dirs));
            }
        }
        for (Clause c : Clause.parse("Provide-Capability", a.getValue("Provide-Capability"))) {
            for (String ns : c.names()) {
                capabilities.add(new Cap(ns, c.typedAttributes(), c.directives()));
            }
        }
        for (Clause c : Clause.parse("Import-Package", a.getValue("Import-Package"))) {
            for (String pkg : c.names()) {
                String filter = "(osgi.wiring.package=" + pkg + ")";
                Object range = c.attributes().get("version");
                if (range != null) {
                    filter = "(&" + filter + new VersionRange(String.valueOf(range)).toFilterString("version") + ")";
                }
                requirements.add(new Req("osgi.wiring.package", filter, c.directives()));
            }
        }
        for (Clause c : Clause.parse("Require-Bundle", a.getValue("Require-Bundle"))) {
            for (String b : c.names()) {
                String filter = "(osgi.wiring.bundle=" + b + ")";
                Object range = c.attributes().get("bundle-version");
                if (range != null) {
                    filter = "(&" + filter + new VersionRange(String.valueOf(range)).toFilterString("bundle-version") + ")";
                }
                requirements.add(new Req("osgi.wiring.bundle", filter, c.directives()));
            }
        }
        for (Clause c : Clause.parse("Require-Capability", a.getValue("Require-Capability"))) {
            for (String ns : c.names()) {
                requirements.add(new Req(ns, c.directives().get("filter"), c.directives()));
            }
        }
    }

    String symbolicName() {
        return symbolicName;
    }

    Version version() {
        return version;
    }

    boolean fragment() {
        return fragment;
    }

    @Override
    public List<Capability> getCapabilities(String namespace) {
        return capabilities.stream().filter(c -> namespace == null || c.getNamespace().equals(namespace)).toList();
    }

    @Override
    public List<Requirement> getRequirements(String namespace) {
        return requirements.stream().filter(r -> namespace == null || r.getNamespace().equals(namespace)).toList();
    }

    @Override
    public String toString() {
        return symbolicName + " " + version;
    }

    /** A capability of the candidate. */
    private final class Cap implements Capability {
        private final String namespace;
        private final Map<String, Object> attributes;
        private final Map<String, String> directives;

        Cap(String namespace, Map<String, Object> attributes, Map<String, String> directives) {
            this.namespace = namespace;
            this.attributes = Map.copyOf(attributes);
            this.directives = Map.copyOf(directives);
        }

        @Override
        public String getNamespace() {
            return namespace;
        }

        @Override
        public Map<String, String> getDirectives() {
            return directives;
        }

        @Override
        public Map<String, Object> getAttributes() {
            return attributes;
        }

        @Override
        public Resource getResource() {
            return ManifestResource.this;
        }

        @Override
        public String toString() {
            return namespace + attributes;
        }
    }

    /** A requirement of the candidate. */
    private final class Req implements Requirement {
        private final String namespace;
        private final Map<String, String> directives;

        Req(String namespace, String filter, Map<String, String> directives) {
            this.namespace = namespace;
            Map<String, String> d = new LinkedHashMap<>(directives);
            d.remove("filter");
            if (filter != null) {
                d.put("filter", filter);
            }
            this.directives = Map.copyOf(d);
        }

        @Override
        public String getNamespace() {
            return namespace;
        }

        @Override
        public Map<String, String> getDirectives() {
            return directives;
        }

        @Override
        public Map<String, Object> getAttributes() {
            return Map.of();
        }

        @Override
        public Resource getResource() {
            return ManifestResource.this;
        }

        @Override
        public String toString() {
            return namespace + "; " + directives.getOrDefault("filter", "(any)");
        }
    }

    /**
     * One clause of an OSGi manifest header: {@code name;name2;attr=value;dir:=value}, with
     * quoted values that may hold {@code ,} and {@code ;}.
     */
    record Clause(List<String> names, Map<String, Object> attributes, Map<String, String> directives, Map<String, String> types) {
        static List<Clause> parse(String header, String value) {
            List<Clause> out = new ArrayList<>();
            if (value == null || value.isBlank()) {
                return out;
            }
            for (String clause : split(value, ',')) {
                if (clause.isBlank()) {
                    continue;
                }
                List<String> names = new ArrayList<>();
                Map<String, Object> attrs = new LinkedHashMap<>();
                Map<String, String> dirs = new LinkedHashMap<>();
                Map<String, String> types = new LinkedHashMap<>();
                for (String part : split(clause, ';')) {
                    String p = part.trim();
                    int dir = p.indexOf(":=");
                    int eq = p.indexOf('=');
                    if (dir > 0 && dir < eq + 1) {
                        dirs.put(p.substring(0, dir).trim(), unquote(p.substring(dir + 2)));
                    } else if (eq > 0) {
                        String key = p.substring(0, eq).trim();
                        int colon = key.indexOf(':');
                        if (colon > 0) {
                            types.put(key.substring(0, colon).trim(), key.substring(colon + 1).trim());
                            key = key.substring(0, colon).trim();
                        }
                        attrs.put(key, unquote(p.substring(eq + 1)));
                    } else if (!p.isEmpty()) {
                        names.add(p);
                    }
                }
                if (names.isEmpty()) {
                    throw new IllegalArgumentException(header + ": clause '" + clause.trim() + "' names nothing");
                }
                out.add(new Clause(names, attrs, dirs, types));
            }
            return out;
        }

        /** @return the attributes with their declared types applied (Version, Long, Double, List) */
        Map<String, Object> typedAttributes() {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : attributes.entrySet()) {
                String t = types.getOrDefault(e.getKey(), "String");
                String v = String.valueOf(e.getValue());
                out.put(e.getKey(), switch (t) {
                    case "Version" -> Version.parseVersion(v.trim());
                    case "Long" -> Long.parseLong(v.trim());
                    case "Double" -> Double.parseDouble(v.trim());
                    case "List<Version>" -> Arrays.stream(v.split(",")).map(s -> Version.parseVersion(s.trim())).toList();
                    case "List<String>", "List" -> Arrays.stream(v.split(",")).map(String::trim).toList();
                    case "List<Long>" -> Arrays.stream(v.split(",")).map(s -> Long.parseLong(s.trim())).toList();
                    default -> v;
                });
            }
            return out;
        }

        private static List<String> split(String s, char sep) {
            List<String> out = new ArrayList<>();
            StringBuilder cur = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"') {
                    quoted = !quoted;
                }
                if (c == sep && !quoted) {
                    out.add(cur.toString());
                    cur.setLength(0);
                } else {
                    cur.append(c);
                }
            }
            out.add(cur.toString());
            return out;
        }

        private static String unquote(String v) {
            String t = v.trim();
            return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
        }
    }
}
