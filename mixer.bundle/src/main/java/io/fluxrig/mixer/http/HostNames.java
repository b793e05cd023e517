package io.fluxrig.mixer.http;

import java.util.List;
import java.util.Locale;

/**
 * The host names and addresses the Mixer answers to (the subject alternative names of its server
 * certificate, framework property {@code fluxrig.mixer.hosts}), and the rule that no rack may be
 * named like one of them: a rack certificate carries its name as CN, and a TLS client that falls
 * back to the CN would take a rack named {@code localhost} for the Mixer at {@code localhost}.
 * The rack refuses such a certificate anyway (no serverAuth, no SAN); this keeps the names apart
 * for every other client. Immutable.
 */
public final class HostNames {
    private final List<String> names;

    /** @param names the server certificate's names, as configured */
    public HostNames(List<String> names) {
        this.names = names.stream().map(n -> n.trim().toLowerCase(Locale.ROOT)).filter(n -> !n.isEmpty()).toList();
    }

    /**
     * @param rack a rack name
     * @return why the name is refused, or null when it collides with none of the Mixer's names
     */
    public String collision(String rack) {
        if (rack == null || !names.contains(rack.toLowerCase(Locale.ROOT))) {
            return null;
        }
        return "rack name '" + rack + "' is a host name the Mixer answers to (its server certificate names " + names
                + ", fluxrig.mixer.hosts); a rack named like it could pose as the Mixer";
    }
}
