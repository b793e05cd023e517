package io.fluxrig.rack.runtime.apply;

import io.fluxrig.rack.runtime.RackConfiguration;
import io.fluxrig.rack.runtime.RackSettings;
import io.fluxrig.rack.runtime.catalog.GearCatalog;
import io.fluxrig.rack.runtime.patch.Patch;
import io.fluxrig.rack.runtime.patch.PatchDiff;
import io.fluxrig.rack.runtime.patch.PatchValidator;
import io.fluxrig.rack.runtime.patch.PatchVariables;
import io.fluxrig.rack.runtime.patch.Validation;
import io.fluxrig.rack.runtime.route.GearBinder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletionStage;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
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
 * second, and at once when a bundle declaring gear types has started or was uninstalled (a patch
 * waiting for those types need not wait for the next second), and hands its content to a
 * {@link PatchController}; a valid change is applied live:
 * first the router (new instances get inlets, removed ones stop receiving), then ConfigAdmin
 * (gear components come and go). Without {@value RackSettings#PATCH} the rack reads
 * {@code <data>/patch.yaml} (where {@code apply-patch} writes) and runs an empty patch while that
 * file does not exist (deleting configurations an earlier run left).
 *
 * <p>For deployments ({@link #validate}, {@link #wake}, {@link #status}): any thread may call
 * them; a caller that writes the patch file wakes the loop and watches
 * {@link PatchStatus#appliedDigest()} / {@link PatchStatus#refusedDigest()} for its text.
 */
@Component(service = PatchManager.class, immediate = true)
public final class PatchManager {
    private static final Logger LOG = LoggerFactory.getLogger(PatchManager.class);
    private static final long POLL_MS = 1_000;

    private final RackSettings settings;
    private final PatchController controller;
    private final GearCatalog catalog;
    private final PatchVariables vars;
    private final Thread loop;
    /** Wakes the loop early at deactivation (no interrupt: it may be inside ConfigAdmin I/O) or for a deployment. */
    private final Object wake = new Object();
    private boolean woken; // guarded by wake: a wake() while the loop was busy is not lost
    private volatile boolean running = true;
    /** Wakes the loop when gear types may have come or gone; called on the framework's event thread. */
    private final BundleListener gearBundles;
    private final BundleContext context;

    /**
     * @param context the rack bundle's context (bundle list for the catalog)
     * @param rack the rack's settings
     * @param binder the router component the patch is applied to
     * @param configAdmin where gear instances are configured
     * @param metaType gear configuration attributes
     */
    @Activate
    public PatchManager(BundleContext context, @Reference RackConfiguration rack, @Reference GearBinder binder, @Reference ConfigurationAdmin configAdmin,
            @Reference MetaTypeService metaType) {
        this.settings = rack.settings();
        this.catalog = new GearCatalog(context, metaType);
        this.vars = PatchVariables.ofRack(settings.name());
        ConfigApplier applier = new ConfigApplier(configAdmin, settings.name());
        String file = settings.patchFile().toString();
        this.controller = new PatchController(file, vars, catalog::scan,
                (running, next) -> deploy(binder, applier, running, next), settings.graceMillis(), System::currentTimeMillis);
        this.loop = new Thread(this::run, "fluxrig-rack-" + settings.name() + "-patch");
        loop.setDaemon(true);
        loop.start();
        this.context = context;
        this.gearBundles = this::bundleChanged;
        context.addBundleListener(gearBundles);
    }

    private void bundleChanged(BundleEvent event) {
        int type = event.getType();
        // STARTED, not INSTALLED: a patch is validated against the types' metatype, which the
        // metatype service reads from resolved bundles; an update ends with STARTED too.
        if (type == BundleEvent.UNINSTALLED || type == BundleEvent.STARTED && GearCatalog.declaresGearTypes(event.getBundle())) {
            wake();
        }
    }

    private void deploy(GearBinder binder, ConfigApplier applier, Patch running, Validation next) throws IOException {
        PatchDiff diff = PatchDiff.of(running, next.patch());
        binder.applyPatch(next.patch());
        applier.apply(diff, next.patch(), next.configs());
        LOG.info("patch {} applied: {}", settings.patchFile(), diff);
    }

    private void run() {
        while (running) {
            try {
                controller.offer(read());
            } catch (RuntimeException e) {
                LOG.error("patch {}: unexpected failure, trying again in {} ms", settings.patchFile(), POLL_MS, e);
            }
            synchronized (wake) {
                try {
                    if (running && !woken) {
                        wake.wait(POLL_MS);
                    }
                    woken = false;
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private String read() {
        Path file = settings.patchFile();
        if (settings.patch() == null && !Files.exists(file)) {
            return ""; // the default file is optional; a configured one must be readable
        }
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return null;
        }
    }

    /** @return the patch file this rack reads (configured, or {@code <data>/patch.yaml}) */
    public Path patchFile() {
        return settings.patchFile();
    }

    /**
     * Checks a patch text exactly as the loop would now (current gear catalog, this rack's
     * variables), without applying it. Thread-safe.
     *
     * @param text the patch text
     * @return the verdict
     */
    public Validation validate(String text) {
        return PatchValidator.validate(text, catalog.scan(), vars);
    }

    /** Makes the loop read the patch file now instead of at its next poll. */
    public void wake() {
        synchronized (wake) {
            woken = true;
            wake.notifyAll();
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
        try {
            context.removeBundleListener(gearBundles);
        } catch (IllegalStateException stopping) {
            // the bundle context is no longer valid: its listeners are gone with it
        }
        running = false;
        synchronized (wake) {
            wake.notifyAll();
        }
        loop.join(10_000);
    }
}
