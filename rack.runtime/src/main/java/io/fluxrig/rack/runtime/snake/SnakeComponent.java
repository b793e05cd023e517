package io.fluxrig.rack.runtime.snake;

import io.fluxrig.rack.runtime.RackSettings;
import io.fluxrig.rack.runtime.apply.PatchManager;
import io.fluxrig.rack.runtime.patch.Link;
import io.fluxrig.rack.runtime.route.GearBinder;
import java.security.SecureRandom;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects the rack to its Mixer while the configuration {@value SnakeConfig#PID} exists; without
 * it the component is not activated and the rack runs without a Mixer. Activation validates the
 * settings and starts the {@link Snake}'s own threads; all enrolment and network work happens
 * there. Deactivation stops them; a changed configuration restarts the Snake with it.
 */
@Component(immediate = true, configurationPid = SnakeConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = SnakeConfig.class)
public final class SnakeComponent {
    private static final Logger LOG = LoggerFactory.getLogger(SnakeComponent.class);

    private final Snake snake;

    /**
     * @param context framework properties and bundles for the inventory
     * @param config the Snake's configuration
     * @param patches the patch state (wires)
     * @param gears the gear instances
     * @param deployer installs bundles and applies patches for the command stream
     */
    @Activate
    public SnakeComponent(BundleContext context, SnakeConfig config, @Reference PatchManager patches,
            @Reference GearBinder gears, @Reference Deployer deployer) {
        SnakeSettings s = SnakeSettings.of(config, RackSettings.from(context::getProperty));
        LOG.debug("Snake to {} configured", s.mixer());
        BundleDigests digests = new BundleDigests();
        this.snake = new Snake(s, () -> InventorySnapshot.heartbeat(context, s.heartbeatMillis(), gears.rows(), links(patches),
                gears.wireStatus(), digests), new SecureRandom(), deployer);
        snake.start();
    }

    private static List<Link> links(PatchManager patches) {
        var applied = patches.status().applied();
        return applied == null ? List.of() : applied.links();
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        snake.close();
    }
}
