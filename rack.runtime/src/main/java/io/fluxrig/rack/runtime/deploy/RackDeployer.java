package io.fluxrig.rack.runtime.deploy;

import io.fluxrig.rack.runtime.RackSettings;
import io.fluxrig.rack.runtime.apply.PatchManager;
import io.fluxrig.rack.runtime.apply.PatchStatus;
import io.fluxrig.rack.runtime.patch.Validation;
import io.fluxrig.rack.runtime.apply.PatchDigest;
import io.fluxrig.rack.spi.DeployException;
import io.fluxrig.rack.spi.DeployOrigin;
import io.fluxrig.rack.spi.Deployer;
import java.io.IOException;
import java.nio.file.Path;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The rack's {@link Deployer}: gear bundles through the FileInstall folder {@code gears} (the entry
 * of framework property {@value #FILEINSTALL_DIR}, a comma-separated list, named {@code gears}, or
 * its only entry), staged in {@code <rack data>/deploy/}; patches through the
 * {@link PatchManager}'s patch file. Activation only reads properties. The Snake's command
 * thread calls it, one deployment at a time; the calls block (bounded).
 */
@Component(service = Deployer.class)
public final class RackDeployer implements Deployer {
    /** The folder Felix FileInstall watches. */
    public static final String FILEINSTALL_DIR = "felix.fileinstall.dir";
    static final long START_WAIT_MS = 60_000;
    static final long SETTLE_MS = 3_000;
    static final long TYPE_WAIT_MS = 30_000;
    static final long APPLY_WAIT_MS = 30_000;
    /** How many numbered patch snapshots the rack keeps ({@code <rack data>/deploy/patches/}). */
    static final int PATCH_SNAPSHOTS = 10;

    private final BundleInstaller bundles;
    private final PatchApplier patches;
    private final GearOrigins origins;

    /**
     * @param context the rack bundle's context (properties, bundles)
     * @param patchManager the patch loop
     * @param origins where each deployment's rollout and release sequence are recorded
     */
    @Activate
    public RackDeployer(BundleContext context, @Reference PatchManager patchManager, @Reference GearOrigins origins) {
        this.origins = origins;
        RackSettings settings = patchManager.settings();
        Path dir = gearsDir(context.getProperty(FILEINSTALL_DIR));
        GearsFolder gears = dir == null ? null : new GearsFolder(context, dir);
        this.bundles = new BundleInstaller(context, gears, settings.data().resolve("deploy"), START_WAIT_MS, SETTLE_MS);
        this.patches = new PatchApplier(new PatchTarget() {
            @Override
            public Path patchFile() {
                return patchManager.patchFile();
            }

            @Override
            public Validation validate(String text) {
                return patchManager.validate(text);
            }

            @Override
            public PatchStatus status() {
                return patchManager.status();
            }

            @Override
            public void wake() {
                patchManager.wake();
            }
        }, TYPE_WAIT_MS, APPLY_WAIT_MS, new PatchSnapshots(settings.data().resolve("deploy").resolve("patches"), PATCH_SNAPSHOTS));
    }

    /** @return the watched folder named {@code gears}, else the only one, else null */
    static Path gearsDir(String fileinstallDirs) {
        if (fileinstallDirs == null || fileinstallDirs.isBlank()) {
            return null;
        }
        String[] dirs = fileinstallDirs.split(",");
        for (String d : dirs) {
            Path p = Path.of(d.trim());
            if (p.getFileName() != null && p.getFileName().toString().equals("gears")) {
                return p;
            }
        }
        return dirs.length == 1 ? Path.of(dirs[0].trim()) : null;
    }

    @Override
    public String installBundle(Path artifact, String label) throws DeployException, InterruptedException {
        return installBundle(artifact, label, DeployOrigin.NONE);
    }

    /**
     * Installs, then records the origin with the bundle's name and version (after it is active:
     * a failed install records nothing; the gears' spans pick the record up at once, see
     * {@link GearOrigins#generation()}).
     */
    @Override
    public String installBundle(Path artifact, String label, DeployOrigin origin) throws DeployException, InterruptedException {
        try {
            String done = bundles.install(artifact, label);
            BundleFacts f = BundleInspector.inspect(artifact, label);
            origins.bundle(f.symbolicName(), f.version(), origin, System.currentTimeMillis());
            return done;
        } catch (IOException e) {
            throw DeployException.failed("installing " + label + " failed: " + e);
        }
    }

    @Override
    public String restoreBundle(String digest, String label) throws DeployException, InterruptedException {
        try {
            return bundles.restore(digest, label);
        } catch (IOException e) {
            throw DeployException.failed("restoring the release before " + label + " failed: " + e);
        }
    }

    @Override
    public String applyPatch(Path artifact, String label) throws DeployException, InterruptedException {
        return applyPatch(artifact, label, null);
    }

    @Override
    public String applyPatch(Path artifact, String label, String signedBy) throws DeployException, InterruptedException {
        return applyPatch(artifact, label, signedBy, DeployOrigin.NONE);
    }

    /** Applies, then records the origin with the patch's digest (a refused or failed patch records nothing). */
    @Override
    public String applyPatch(Path artifact, String label, String signedBy, DeployOrigin origin)
            throws DeployException, InterruptedException {
        try {
            String done = patches.apply(artifact, label, signedBy);
            origins.patch(PatchDigest.of(PatchText.read(artifact, label)), origin, System.currentTimeMillis());
            return done;
        } catch (IOException e) {
            throw DeployException.failed("applying " + label + " failed: " + e);
        }
    }

    @Override
    public String restorePatch(String digest, String label) throws DeployException, InterruptedException {
        try {
            return patches.restore(digest, label);
        } catch (IOException e) {
            throw DeployException.failed("restoring the patch before " + label + " failed: " + e);
        }
    }
}
