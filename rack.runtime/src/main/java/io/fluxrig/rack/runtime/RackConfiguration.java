package io.fluxrig.rack.runtime;

import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/**
 * The rack's {@link RackSettings} as a service, from configuration {@value RackConfig#PID} and
 * Felix HTTP's {@value #HTTP_PID} (for the console's address; both optional: without them the
 * framework properties and defaults apply). The router, the patch loop
 * and the deployer reference it, so a configuration change restarts them with the new settings
 * (DS re-activates this component and its dependants). The metatype for {@value RackConfig#PID}
 * comes from {@link RackConfig} (designated there: DS allows one designated PID per component).
 * Immutable once activated.
 */
@Component(service = RackConfiguration.class, configurationPid = {RackConfig.PID, RackConfiguration.HTTP_PID},
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class RackConfiguration {
    /** Felix HTTP's configuration PID. */
    static final String HTTP_PID = "org.apache.felix.http";

    private final RackSettings settings;

    /**
     * @param context for framework properties
     * @param config the configuration's properties (DS adds component properties; unknown keys are ignored)
     * @throws IllegalArgumentException naming the attribute when a value is invalid
     */
    @Activate
    public RackConfiguration(BundleContext context, Map<String, Object> config) {
        this.settings = RackSettings.from(config, context::getProperty);
    }

    /** @return the settings */
    public RackSettings settings() {
        return settings;
    }
}
