package io.fluxrig.nats.trust;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a NATS user may publish and subscribe to (subjects with NATS wildcards). An empty allow
 * list allows everything not denied; a deny entry wins over an allow entry.
 *
 * @param pubAllow subjects it may publish to
 * @param pubDeny subjects it may never publish to
 * @param subAllow subjects it may subscribe to
 * @param subDeny subjects it may never subscribe to
 */
public record Permissions(List<String> pubAllow, List<String> pubDeny, List<String> subAllow, List<String> subDeny) {

    public Permissions {
        pubAllow = List.copyOf(pubAllow);
        pubDeny = List.copyOf(pubDeny);
        subAllow = List.copyOf(subAllow);
        subDeny = List.copyOf(subDeny);
    }

    /** Everything in the user's account. */
    public static final Permissions ALL = new Permissions(List.of(), List.of(), List.of(), List.of());

    /** @return these permissions in a user JWT's {@code nats} claim ({@code pub}, {@code sub}) */
    Map<String, Object> claims() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pub", side(pubAllow, pubDeny));
        m.put("sub", side(subAllow, subDeny));
        return m;
    }

    private static Map<String, Object> side(List<String> allow, List<String> deny) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!allow.isEmpty()) {
            m.put("allow", allow);
        }
        if (!deny.isEmpty()) {
            m.put("deny", deny);
        }
        return m;
    }
}
