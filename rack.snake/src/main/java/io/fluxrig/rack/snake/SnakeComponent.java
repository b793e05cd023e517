package io.fluxrig.rack.snake;

import io.fluxrig.rack.spi.Deployer;
import io.fluxrig.rack.spi.RackState;
import java.security.SecureRandom;
import java.time.Clock;
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
     * @param context the bundles for the inventory
     * @param config the Snake's configuration
     * @param rack the rack's name, data folder, gear instances, links and wire transport
     * @param deployer installs bundles and applies patches for the command stream
     */
    @Activate
    public SnakeComponent(BundleContext context, SnakeConfig config, @Reference RackState rack,
            @Reference Deployer deployer) {
        SnakeSettings s = SnakeSettings.of(config, rack.name(), rack.data());
        LOG.debug("Snake to {} configured", s.mixer());
        BundleDigests digests = new BundleDigests();
        ReleaseKeys keys = new ReleaseKeys(config.publisher_keys());
        if (keys.state().problem() != null) {
            LOG.error("rack {}: {}", s.rack(), keys.state().describe());
        } else {
            LOG.info("rack {}: {}", s.rack(), keys.state().describe());
        }
        ReleaseGate releases = new ReleaseGate(keys::state, new ReleaseLedger(s.dir().resolve(Snake.RELEASES)),
                Clock.systemUTC());
        InventorySnapshot inventory = new InventorySnapshot(context, rack, digests);
        this.snake = new Snake(s, () -> inventory.heartbeat(s.heartbeatMillis(), releases.trust()), new SecureRandom(),
                deployer, releases, new BundlePreflight(context));
        snake.start();
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        snake.close();
    }
}
