package io.fluxrig.rack.runtime.apply;

import io.fluxrig.gear.Gear;
import io.fluxrig.rack.runtime.patch.GearSpec;
import io.fluxrig.rack.runtime.patch.Patch;
import io.fluxrig.rack.runtime.patch.PatchDiff;
import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a patch into ConfigAdmin state: one named factory configuration
 * {@code fluxrig.gear.<type>~<instance>} per gear instance, bound to location {@code "?"} so a
 * gear bundle installed later still receives it. Every configuration it writes carries
 * {@value #RACK} = the rack name, which is how stale ones (removed instances, changed types, left
 * over from an earlier run) are found and deleted.
 *
 * <p>Not thread-safe: only the patch loop thread calls it. Blocking (ConfigAdmin persists).
 */
final class ConfigApplier {
    /** Configuration property marking the rack that owns a gear configuration. */
    static final String RACK = "fluxrig.rack";

    private static final Logger LOG = LoggerFactory.getLogger(ConfigApplier.class);

    private final ConfigurationAdmin configAdmin;
    private final String rack;

    ConfigApplier(ConfigurationAdmin configAdmin, String rack) {
        this.configAdmin = configAdmin;
        this.rack = rack;
    }

    /**
     * @param diff what changed since the running patch
     * @param next the new patch
     * @param configs per instance, the converted configuration
     */
    void apply(PatchDiff diff, Patch next, Map<String, Map<String, Object>> configs) throws IOException {
        deleteStale(next);
        for (GearSpec g : next.gears().values()) {
            // Added and reconfigured instances change; the rest are re-checked cheaply, which
            // also repairs a configuration someone edited by hand in the console.
            Dictionary<String, Object> props = new Hashtable<>(configs.getOrDefault(g.name(), Map.of()));
            props.put(Gear.INSTANCE, g.name());
            props.put(RACK, rack);
            Configuration c = configAdmin.getFactoryConfiguration(Gear.FACTORY_PID_PREFIX + g.type(), g.name(), "?");
            if (c.updateIfDifferent(props)) {
                LOG.info("gear {}: configuration {} {}", g.name(), c.getPid(),
                        diff.added().contains(g.name()) ? "created" : "updated");
            }
        }
    }

    private void deleteStale(Patch next) throws IOException {
        Configuration[] owned;
        try {
            owned = configAdmin.listConfigurations("(" + RACK + "=" + escape(rack) + ")");
        } catch (InvalidSyntaxException e) {
            throw new IOException("cannot list the rack's configurations", e);
        }
        for (int i = 0; owned != null && i < owned.length; i++) {
            Configuration c = owned[i];
            Object instance = c.getProperties() == null ? null : c.getProperties().get(Gear.INSTANCE);
            GearSpec g = instance == null ? null : next.gears().get(instance.toString());
            if (g == null || !(Gear.FACTORY_PID_PREFIX + g.type()).equals(c.getFactoryPid())) {
                LOG.info("gear {}: configuration {} deleted", instance, c.getPid());
                c.delete();
            }
        }
    }

    private static String escape(String value) {
        StringBuilder sb = new StringBuilder();
        for (char ch : value.toCharArray()) {
            if (ch == '\\' || ch == '(' || ch == ')' || ch == '*') {
                sb.append('\\');
            }
            sb.append(ch);
        }
        return sb.toString();
    }
}
