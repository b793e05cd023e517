package io.fluxrig.rack.runtime.apply;

import io.fluxrig.rack.runtime.RackSettings;
import io.fluxrig.rack.runtime.catalog.GearCatalog;
import io.fluxrig.rack.runtime.patch.Patch;
import io.fluxrig.rack.runtime.patch.PatchDiff;
import io.fluxrig.rack.runtime.patch.PatchVariables;
import io.fluxrig.rack.runtime.patch.Validation;
import io.fluxrig.rack.runtime.route.GearBinder;
import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.CompletionStage;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.MetaTypeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the rack running what its patch file says. Owns one daemon thread (started at
 * activation without blocking it, stopped at deactivation) that reads the patch file every
 * second and hands its content to a {@link PatchController}; a valid change is applied live:
 * first the router (new instances get inlets, removed ones stop receiving), then ConfigAdmin
 * (gear components come and go). Without {@value RackSettings#PATCH} the rack runs an empty
 * patch (and deletes configurations an earlier run left).
 */
@Component(service = PatchManager.class, immediate = true)
public final class PatchManager {
    private static final Logger LOG = LoggerFactory.getLogger(PatchManager.class);
    private static final long POLL_MS = 1_000;

    private final RackSettings settings;
    private final PatchController controller;
    private final Thread loop;
    /** Wakes the loop early at deactivation (no interrupt: it may be inside ConfigAdmin I/O). */
    private final Object wake = new Object();
    private volatile boolean running = true;

    /**
     * @param context the rack bundle's context (settings, bundle list for the catalog)
     * @param binder the router component the patch is applied to
     * @param configAdmin where gear instances are configured
     * @param metaType gear configuration attributes
     */
    @Activate
    public PatchManager(BundleContext context, @Reference GearBinder binder, @Reference ConfigurationAdmin configAdmin,
            @Reference MetaTypeService metaType) {
        this.settings = RackSettings.from(context::getProperty);
        GearCatalog catalog = new GearCatalog(context, metaType);
        ConfigApplier applier = new ConfigApplier(configAdmin, settings.name());
        String file = settings.patchText();
        this.controller = new PatchController(file, PatchVariables.ofRack(settings.name()), catalog::scan,
                (running, next) -> deploy(binder, applier, running, next), settings.graceMillis(), System::currentTimeMillis);
        this.loop = new Thread(this::run, "fluxrig-rack-" + settings.name() + "-patch");
        loop.setDaemon(true);
        loop.start();
    }

    private void deploy(GearBinder binder, ConfigApplier applier, Patch running, Validation next) throws IOException {
        PatchDiff diff = PatchDiff.of(running, next.patch());
        binder.applyPatch(next.patch());
        applier.apply(diff, next.patch(), next.configs());
        LOG.info("patch {} applied: {}", settings.patchText(), diff);
    }

    private void run() {
        while (running) {
            try {
                controller.offer(read());
            } catch (RuntimeException e) {
                LOG.error("patch {}: unexpected failure, trying again in {} ms", settings.patchText(), POLL_MS, e);
            }
            synchronized (wake) {
                try {
                    if (running) {
                        wake.wait(POLL_MS);
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private String read() {
        if (settings.patch() == null) {
            return "";
        }
        try {
            return Files.readString(settings.patch());
        } catch (IOException e) {
            return null;
        }
    }

    /** @return the bootstrap settings */
    public RackSettings settings() {
        return settings;
    }

    /** @return the patch state for consoles */
    public PatchStatus status() {
        return controller.status();
    }

    /** @return completes with the running patch once the first patch was applied or refused */
    public CompletionStage<Patch> firstOutcome() {
        return controller.firstOutcome().minimalCompletionStage();
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        running = false;
        synchronized (wake) {
            wake.notifyAll();
        }
        loop.join(10_000);
    }
}
