package io.fluxrig.rack.runtime.route;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The link targets of every (instance, output port), built once per applied patch and then only
 * read. Immutable, so the hot path reads it without locking.
 */
final class Topology {
    static final Target[] NONE = new Target[0];
    static final Topology EMPTY = new Topology(Map.of());

    private final Map<String, Map<String, Target[]>> routes;

    private Topology(Map<String, Map<String, Target[]>> routes) {
        this.routes = routes;
    }

    /** @return the targets of a port, empty when the port has no link */
    Target[] targets(String instance, String port) {
        Map<String, Target[]> ports = routes.get(instance);
        if (ports == null) {
            return NONE;
        }
        Target[] t = ports.get(port);
        return t == null ? NONE : t;
    }

    /** Collects targets while a patch is being turned into a topology. Not thread-safe. */
    static final class Builder {
        private final Map<String, Map<String, List<Target>>> draft = new HashMap<>();

        Builder add(String instance, String port, Target target) {
            draft.computeIfAbsent(instance, k -> new HashMap<>()).computeIfAbsent(port, k -> new ArrayList<>())
                    .add(target);
            return this;
        }

        Topology build() {
            Map<String, Map<String, Target[]>> routes = new HashMap<>();
            draft.forEach((instance, ports) -> {
                Map<String, Target[]> p = new HashMap<>();
                ports.forEach((port, targets) -> p.put(port, targets.toArray(NONE)));
                routes.put(instance, Map.copyOf(p));
            });
            return new Topology(Map.copyOf(routes));
        }
    }
}
