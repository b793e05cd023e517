package io.fluxrig.rack.runtime.deploy;

import io.fluxrig.rack.runtime.RackConfiguration;
import io.fluxrig.rack.runtime.apply.PatchManager;
import io.fluxrig.rack.spi.DeployOrigin;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.osgi.framework.Version;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the rack's gear bundles and patches came from: per bundle version and per patch digest a
 * rollout installed or applied, the rollout's id and the signed release's sequence (a restore
 * returns to a version or patch whose record is still here). The rack's spans read it ({@link #of}) once per gear
 * binding and whenever {@link #generation()} moves, never per message. Kept in
 * {@code <rack data>/deploy/origins.properties} so it survives a restart (the gears folder does).
 *
 * <p>Threading: the Snake's command thread records (through the {@link RackDeployer}), the span
 * code reads; every method is synchronized except {@link #generation()} (volatile).
 */
@Component(service = GearOrigins.class)
public final class GearOrigins {
    private static final Logger LOG = LoggerFactory.getLogger(GearOrigins.class);
    private static final String BUNDLE = "bundle.";
    private static final String PATCH = "patch.";
    /** Records kept: bundle versions and patches a restore may return to; the oldest are forgotten. */
    static final int MAX_ENTRIES = 64;

    /**
     * A recorded origin.
     *
     * @param rollout the rollout id, or null
     * @param sequence the signed release's sequence, 0 when unsigned
     * @param at epoch millis it was recorded (the newer of a bundle's and the patch's names the gear)
     */
    public record Origin(String rollout, long sequence, long at) {
    }

    private final Path file;
    /** Key: {@code bundle.<bsn>@<version>} or {@code patch.<digest>}; value: {@code <at> <sequence> [rollout]}. */
    private final Map<String, String> entries = new TreeMap<>();
    private volatile long generation;
    private volatile PatchManager patches;

    /** @param rack the rack's settings (its data folder) */
    @Activate
    public GearOrigins(@Reference RackConfiguration rack) {
        this(rack.settings().data().resolve("deploy").resolve("origins.properties"));
    }

    /** @param file where the records are kept (read now, rewritten at every record) */
    public GearOrigins(Path file) {
        this.file = file;
        if (Files.isRegularFile(file)) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
                p.stringPropertyNames().forEach(k -> entries.put(k, p.getProperty(k)));
            } catch (IOException | IllegalArgumentException e) {
                LOG.warn("{} cannot be read ({}): spans name no rollout until the next deployment", file, e.toString());
            }
        }
    }

    /**
     * The patch manager, to tell whether the recorded patch is the one running. Optional and
     * dynamic: the patch manager depends on the router, which depends on this.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindPatches(PatchManager p) {
        patches = p;
        generation++;
    }

    void unbindPatches(PatchManager p) {
        if (patches == p) {
            patches = null;
        }
    }

    /** @return a number that changes whenever what {@link #of} answers may have changed */
    public long generation() {
        return generation;
    }

    /** Records where this bundle version came from (a deployment outside any rollout forgets it). */
    public synchronized void bundle(String symbolicName, String version, DeployOrigin origin, long now) {
        put(BUNDLE + symbolicName + "@" + normal(version), origin, now);
    }

    /** Records where the patch with this digest came from (a deployment outside any rollout forgets it). */
    public synchronized void patch(String digest, DeployOrigin origin, long now) {
        put(PATCH + digest, origin, now);
    }

    /**
     * @param bundle the gear's bundle as {@code "<symbolic name> <version>"}, or null when unknown
     * @return the newer of the origins of that bundle version and of the running patch, or null
     */
    public synchronized Origin of(String bundle) {
        int space = bundle == null ? -1 : bundle.indexOf(' ');
        Origin fromBundle = space <= 0 ? null
                : origin(entries.get(BUNDLE + bundle.substring(0, space) + "@" + normal(bundle.substring(space + 1))));
        PatchManager m = patches;
        String digest = m == null ? null : m.status().appliedDigest();
        Origin fromPatch = digest == null ? null : origin(entries.get(PATCH + digest));
        return fromBundle == null ? fromPatch : fromPatch == null || fromBundle.at() >= fromPatch.at() ? fromBundle : fromPatch;
    }

    private void put(String key, DeployOrigin origin, long now) {
        if (origin.known()) {
            entries.put(key, now + " " + origin.sequence() + (origin.rollout() == null ? "" : " " + origin.rollout()));
        } else {
            entries.remove(key);
        }
        while (entries.size() > MAX_ENTRIES) { // the oldest record goes first
            entries.entrySet().stream().min(java.util.Comparator.comparingLong(e -> at(e.getValue())))
                    .ifPresent(e -> entries.remove(e.getKey()));
        }
        generation++;
        Properties p = new Properties();
        p.putAll(entries);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".new");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                p.store(out, "where the rack's gear bundles and patches came from (rollout ids, release sequences)");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("{} cannot be written ({}): the origin is kept in memory only", file, e.toString());
        }
    }

    private static long at(String v) {
        Origin o = origin(v);
        return o == null ? Long.MIN_VALUE : o.at();
    }

    /** @return the origin in a value {@code <at> <sequence> [rollout]}, or null */
    private static Origin origin(String v) {
        String[] e = v == null ? new String[0] : v.split(" ");
        try {
            return e.length < 2 ? null : new Origin(e.length > 2 ? e[2] : null, Long.parseLong(e[1]), Long.parseLong(e[0]));
        } catch (NumberFormatException x) {
            return null;
        }
    }

    /** @return a bundle version as the framework prints it ({@code 1.0.0.SNAPSHOT}), or the text when it is none */
    static String normal(String version) {
        try {
            return Version.parseVersion(version).toString();
        } catch (IllegalArgumentException e) {
            return version;
        }
    }
}
