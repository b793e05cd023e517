package io.fluxrig.rack.runtime.snake;

import io.fluxrig.rack.runtime.apply.PatchManager;
import io.fluxrig.rack.runtime.patch.Link;
import io.fluxrig.rack.runtime.route.GearBinder;
import java.security.SecureRandom;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects the rack to its Mixer when the framework property {@value SnakeSettings#MIXER} is
 * set; otherwise it stays idle (no thread). Activation validates the settings and starts the
 * {@link Snake}'s own thread; all enrolment and network work happens there. Deactivation stops it.
 */
@Component(immediate = true)
public final class SnakeComponent {
    private static final Logger LOG = LoggerFactory.getLogger(SnakeComponent.class);

    private final Snake snake;

    /**
     * @param context framework properties and bundles for the inventory
     * @param patches the patch state (wires)
     * @param gears the gear instances
     * @param deployer installs bundles and applies patches for the command stream
     */
    @Activate
    public SnakeComponent(BundleContext context, @Reference PatchManager patches, @Reference GearBinder gears,
            @Reference Deployer deployer) {
        SnakeSettings s = SnakeSettings.from(context::getProperty);
        if (s.mixer() == null) {
            LOG.debug("no {} set: the rack runs without a Mixer", SnakeSettings.MIXER);
            this.snake = null;
            return;
        }
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
        if (snake != null) {
            snake.close();
        }
    }
}
