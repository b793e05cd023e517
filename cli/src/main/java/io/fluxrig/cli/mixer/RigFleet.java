package io.fluxrig.cli.mixer;

import io.fluxrig.cli.rig.Plan;
import io.fluxrig.cli.rig.RigFile;
import io.fluxrig.snake.api.OperatorPaths;
import io.fluxrig.snake.api.rollout.RackSelector;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the fleet a rig file concerns from the Mixer's operator API: every registered, unrevoked
 * rack (paged {@code GET /api/racks}), and for those a rig entry selects, their inventory
 * ({@code GET /api/racks/{name}}): bundle versions and archive digests, the applied patch's
 * digest. Stateless; one call per selected rack.
 */
final class RigFleet {
    /** The Mixer refused or could not be reached: the reason. */
    static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(String reason) {
            super(reason);
        }
    }

    private RigFleet() {
    }

    static List<Plan.RackView> read(MixerApiClient client, RigFile rig) throws IOException, Unreadable {
        List<RackSelector> selectors = new ArrayList<>();
        for (RigFile.Entry e : rig.racks()) {
            selectors.add(RackSelector.parse(e.select()));
        }
        List<Plan.RackView> out = new ArrayList<>();
        String after = null;
        do {
            String path = OperatorPaths.RACKS + "?" + OperatorPaths.LIMIT + "=" + OperatorPaths.MAX_LIMIT
                    + (after == null ? "" : "&" + OperatorPaths.AFTER + "=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
            MixerApiClient.Reply r = client.call("GET", path, null);
            if (r.status() != 200 || !(r.json() instanceof Map<?, ?> page) || !(page.get("racks") instanceof List<?> racks)) {
                throw new Unreadable("listing racks: " + r.error());
            }
            for (Object o : racks) {
                Map<?, ?> m = (Map<?, ?>) o;
                String name = String.valueOf(m.get("name"));
                Map<String, String> labels = strings(m.get("labels"));
                String state = String.valueOf(m.get("state"));
                if ("revoked".equals(state) || selectors.stream().noneMatch(s -> s.matches(name, labels))) {
                    continue;
                }
                out.add(inventory(client, name, labels, state));
            }
            after = page.get("next") instanceof String s ? s : null;
        } while (after != null);
        return out;
    }

    private static Plan.RackView inventory(MixerApiClient client, String name, Map<String, String> labels, String state)
            throws IOException, Unreadable {
        MixerApiClient.Reply r = client.call("GET", OperatorPaths.rack(name), null);
        if (r.status() != 200 || !(r.json() instanceof Map<?, ?> record)) {
            throw new Unreadable("reading rack " + name + ": " + r.error());
        }
        Map<String, String> bundles = new LinkedHashMap<>();
        Set<String> digests = new HashSet<>();
        String patch = null;
        if (record.get("inventory") instanceof Map<?, ?> inv) {
            if (inv.get("bundles") instanceof List<?> list) {
                for (Object b : list) {
                    if (b instanceof Map<?, ?> bm && bm.get("symbolicName") != null) {
                        bundles.put(String.valueOf(bm.get("symbolicName")), String.valueOf(bm.get("version")));
                    }
                }
            }
            digests.addAll(strings(inv.get("bundleDigests")).values());
            patch = inv.get("patch") instanceof String s ? s : null;
        }
        return new Plan.RackView(name, labels, state, bundles, digests, patch);
    }

    private static Map<String, String> strings(Object o) {
        Map<String, String> out = new LinkedHashMap<>();
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        }
        return out;
    }
}
