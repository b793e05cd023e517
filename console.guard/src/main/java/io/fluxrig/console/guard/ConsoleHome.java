package io.fluxrig.console.guard;

import io.fluxrig.console.credentials.ConsoleCredentialsFile;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Where the console's configuration file lives, from framework properties: {@value #ETC} when
 * set; else {@code <fluxrig.rack.data>/etc} in a rack, {@code <fluxrig.mixer.data>/etc} in the
 * Mixer; else {@value #ETC_DEFAULT}, which each run descriptor sets to the default data folder of
 * its kind ({@code ./data/racks/rack/etc}, {@code ./data/mixer/etc}); else {@code ./etc}.
 * Stateless.
 */
final class ConsoleHome {
    /** Framework property: the folder of {@code io.fluxrig.console.cfg}. */
    static final String ETC = "fluxrig.console.etc";
    /** Framework property set by the run descriptors: the folder when nothing else says. */
    static final String ETC_DEFAULT = "fluxrig.console.etc.default";

    private ConsoleHome() {
    }

    /** @param property reads a framework property (null when unset) */
    static Path etc(Function<String, String> property) {
        String explicit = property.apply(ETC);
        if (present(explicit)) {
            return Path.of(explicit.strip());
        }
        for (String data : new String[] {"fluxrig.rack.data", "fluxrig.mixer.data"}) {
            String d = property.apply(data);
            if (present(d)) {
                return Path.of(d.strip()).resolve(ConsoleCredentialsFile.ETC);
            }
        }
        String fallback = property.apply(ETC_DEFAULT);
        return Path.of(present(fallback) ? fallback.strip() : ConsoleCredentialsFile.ETC);
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
