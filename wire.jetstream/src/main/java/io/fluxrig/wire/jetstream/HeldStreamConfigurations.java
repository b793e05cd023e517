package io.fluxrig.wire.jetstream;

import java.io.IOException;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Map;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The stream configurations ConfigAdmin holds, read for {@link StreamConfigurations}. A class of its
 * own so that the OSGi exception types it catches are loaded only once a ConfigAdmin is bound: the
 * transport also runs outside OSGi (the CLI's {@code tail} and {@code replay}), where the OSGi API is
 * not on the class path and a catch clause naming its types would fail the verification of the
 * class holding it. Stateless; any thread.
 */
final class HeldStreamConfigurations {
    private HeldStreamConfigurations() {
    }

    /** @return PID to properties of each {@value StreamConfigurations#FACTORY_PID} configuration; none while ConfigAdmin or a configuration goes away */
    static Map<String, Dictionary<String, Object>> of(ConfigurationAdmin admin) {
        Map<String, Dictionary<String, Object>> held = new HashMap<>();
        try {
            Configuration[] configs = admin.listConfigurations("(" + ConfigurationAdmin.SERVICE_FACTORYPID + "="
                    + StreamConfigurations.FACTORY_PID + ")");
            for (Configuration c : configs == null ? new Configuration[0] : configs) {
                Dictionary<String, Object> props = c.getProperties();
                if (props != null) {
                    held.put(c.getPid(), props);
                }
            }
        } catch (IOException | InvalidSyntaxException | IllegalStateException e) {
            return Map.of(); // ConfigAdmin or a configuration going away: nothing to wait for
        }
        return held;
    }
}
