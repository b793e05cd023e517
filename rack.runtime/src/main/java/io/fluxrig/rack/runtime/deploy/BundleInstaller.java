package io.fluxrig.rack.runtime.deploy;

import io.fluxrig.rack.spi.DeployException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.wiring.BundleRevisions;
import org.osgi.framework.wiring.FrameworkWiring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs a gear bundle the way an operator would: its jar goes into the FileInstall folder
 * (staged in {@code <rack data>/deploy/}, outside the watched folder, then moved in atomically,
 * so FileInstall never reads half a jar), and FileInstall installs or updates it; the folder is
 * what survives a restart (the framework cache does not). It then waits, bounded, until the
 * bundle from that file is active (a fragment: resolved) with the new content. When it is not,
 * the reason is taken from the framework ({@code start()} names the missing requirement) and
 * the folder is put back as it was: the previous file restored, or the new one removed. A
 * successful install keeps what it replaced ({@link PreviousReleases}) so that {@link #restore}
 * can undo it later (a rollout's rollback) without anyone sending the previous release again.
 *
 * <p>Threading: one install at a time, on the caller's thread (the Snake's command thread);
 * blocks for up to the start wait twice (install, rollback).
 */
final class BundleInstaller {
    private static final Logger LOG = LoggerFactory.getLogger(BundleInstaller.class);
    private static final long POLL_MS = 100;
    private static final long ANY = Long.MIN_VALUE; // any bundle at the file counts as the new one

    private final BundleContext context;
    private final GearsFolder gears; // null: felix.fileinstall.dir is not set
    private final Path staging;
    private final long startWaitMillis;
    private final long settleMillis;
    private final PreviousReleases kept;

    /**
     * @param gears the FileInstall folder, or null when the rack has none
     * @param staging where jars are prepared before the move (same file system as the folder)
     * @param startWaitMillis how long to wait for the bundle to start (and again after a rollback)
     * @param settleMillis how long a new bundle may stay installed/resolved before it is diagnosed
     */
    BundleInstaller(BundleContext context, GearsFolder gears, Path staging, long startWaitMillis, long settleMillis) {
        this.context = context;
        this.gears = gears;
        this.staging = staging;
        this.startWaitMillis = startWaitMillis;
        this.settleMillis = settleMillis;
        this.kept = new PreviousReleases(staging.resolve("previous"));
    }

    String install(Path artifact, String label) throws DeployException, InterruptedException, IOException {
        if (gears == null) {
            throw DeployException.refused("this rack has no gears folder (framework property felix.fileinstall.dir is not set): "
                    + "cannot install " + label);
        }
        BundleFacts f = BundleInspector.inspect(artifact, label);
        Bundle base = gears.baseBundle(f.symbolicName());
        if (base != null) {
            throw DeployException.refused(label + ": " + f.symbolicName() + " is a base bundle of this rack (installed from "
                    + base.getLocation() + ", not from " + gears.dir().getFileName() + "/); it is updated with the rack, not deployed");
        }
        Files.createDirectories(gears.dir());
        Path target = gears.fileFor(f.symbolicName());
        String shown = gears.shown(target);
        String upWord = f.fragment() ? "resolved" : "active";
        Bundle current = gears.bundleAt(target);
        boolean existed = Files.exists(target);
        String holder = existed ? BundleInspector.symbolicName(target) : f.symbolicName();
        if (!f.symbolicName().equals(holder)) {
            throw DeployException.refused(label + ": " + shown + " already holds "
                    + (holder == null ? "a file that is not a bundle" : "another bundle (" + holder + ")") + "; not replacing it");
        }
        boolean same = existed && Files.mismatch(target, artifact) == -1L;
        String installed = PreviousReleases.digest(artifact);
        if (same && current != null && up(current, f)) {
            kept.record(f.symbolicName(), installed, PreviousReleases.Kind.UNCHANGED, null, null);
            return f + " (" + label + ") already " + upWord + " from " + shown;
        }
        String previous = current == null ? null : current.getSymbolicName() + " " + current.getVersion();
        long before = current == null || same ? ANY : current.getLastModified();
        Path backup = null;
        if (!same) {
            Files.createDirectories(staging);
            if (existed) {
                backup = staging.resolve(target.getFileName() + ".previous");
                Files.copy(target, backup, StandardCopyOption.REPLACE_EXISTING);
            }
            place(artifact, target);
        }
        String problem = awaitUp(target, before, f, shown);
        if (problem == null) {
            BundleFacts was = backup == null ? null : inspectQuietly(backup, shown);
            kept.record(f.symbolicName(), installed, same ? PreviousReleases.Kind.UNCHANGED
                    : backup != null ? PreviousReleases.Kind.REPLACED : PreviousReleases.Kind.NEW, was, backup);
            return f + " (" + label + ") " + upWord + " from " + shown + (previous != null && !same ? " (was " + previous + ")" : "");
        }
        String undone = same ? "the same file was in place before, nothing rolled back"
                : backup != null ? restore(backup, target, shown) : remove(target, shown);
        throw DeployException.failed(f + " (" + label + ") did not become " + upWord + ": " + problem + "; " + undone);
    }

    /**
     * Undoes the last install of the release with this digest (see {@link PreviousReleases}).
     *
     * @param digest the installed release's {@code sha256:<hex>}
     * @param label how to name it in messages
     */
    String restore(String digest, String label) throws DeployException, InterruptedException, IOException {
        PreviousReleases.Record r = kept.find(digest).orElse(null);
        if (r == null) {
            return "nothing to restore: this rack kept no record of installing " + label
                    + " (not installed here, or already restored or replaced)";
        }
        if (r.kind() == PreviousReleases.Kind.UNCHANGED) {
            kept.drop(r);
            return "nothing to restore: installing " + label + " found " + r.symbolicName() + " already in place and changed nothing";
        }
        if (gears == null) {
            throw DeployException.refused("this rack has no gears folder: cannot restore " + r.symbolicName());
        }
        Path target = gears.fileFor(r.symbolicName());
        String shown = gears.shown(target);
        if (!Files.exists(target) || !digest.equals(PreviousReleases.digest(target))) {
            throw DeployException.refused(shown + " no longer holds " + label + " (" + r.symbolicName()
                    + " changed again since that install); not restoring over it");
        }
        if (r.kind() == PreviousReleases.Kind.NEW) {
            String removed = remove(target, shown);
            kept.drop(r);
            return "restored: " + r.symbolicName() + " was new on this rack; " + removed.replace("rolled back: ", "");
        }
        if (!Files.exists(r.jar()) || !r.previousDigest().equals(PreviousReleases.digest(r.jar()))) {
            throw DeployException.failed("the kept copy of " + r.symbolicName() + " " + r.previousVersion() + " is missing or damaged ("
                    + r.jar() + "); " + shown + " is left as it is");
        }
        Bundle now = gears.bundleAt(target);
        long before = now == null ? ANY : now.getLastModified();
        BundleFacts prev = BundleInspector.inspect(r.jar(), shown);
        Path copy = staging.resolve(target.getFileName() + ".restore");
        Files.copy(r.jar(), copy, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(copy, FileTime.fromMillis(System.currentTimeMillis())); // FileInstall sees a change
        place(copy, target);
        Files.deleteIfExists(copy);
        String why = awaitUp(target, before, prev, shown);
        if (why != null) {
            throw DeployException.failed("restored " + shown + " to " + prev + " (" + r.previousDigest().substring(0, 19)
                    + "..), but it did not come up: " + why);
        }
        kept.drop(r);
        return "restored " + prev + " (" + r.previousDigest().substring(0, 19) + "..) " + (prev.fragment() ? "resolved" : "active")
                + " from " + shown + " in place of " + label;
    }

    private static BundleFacts inspectQuietly(Path jar, String shown) {
        try {
            return BundleInspector.inspect(jar, shown);
        } catch (DeployException e) {
            return null;
        }
    }

    /** @return null when the bundle from the file is up with new content, else why not */
    private String awaitUp(Path target, long before, BundleFacts f, String shown) throws InterruptedException {
        long deadline = System.currentTimeMillis() + startWaitMillis;
        long downSince = -1;
        while (true) {
            Bundle b = gears.bundleAt(target);
            boolean fresh = b != null && (before == ANY || b.getLastModified() != before);
            if (fresh && up(b, f)) {
                return null;
            }
            long now = System.currentTimeMillis();
            boolean down = fresh && (b.getState() & (Bundle.INSTALLED | Bundle.RESOLVED)) != 0;
            downSince = down ? (downSince < 0 ? now : downSince) : -1;
            if (down && (now - downSince >= settleMillis || now >= deadline)) {
                String why = diagnose(b, f);
                if (why != null) {
                    return why;
                }
            } else if (now >= deadline) {
                return b == null ? "FileInstall did not install " + shown + " within " + startWaitMillis + " ms"
                        : !fresh ? "FileInstall did not update the bundle from " + shown + " within " + startWaitMillis + " ms"
                        : "still " + state(b) + " after " + startWaitMillis + " ms";
            }
            Thread.sleep(POLL_MS);
        }
    }

    /** Asks the framework why the bundle is not up; null when it came up meanwhile. */
    private String diagnose(Bundle b, BundleFacts f) {
        try {
            if (f.fragment()) {
                FrameworkWiring fw = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
                return fw.resolveBundles(List.of(b)) ? null : "the fragment does not resolve (Fragment-Host "
                        + b.getHeaders("").get(Constants.FRAGMENT_HOST) + " missing, not accepting it, or an import is missing)";
            }
            b.start(Bundle.START_TRANSIENT); // transient: no persistent mark; FileInstall would start it anyway
            return null;
        } catch (BundleException e) {
            return e.getMessage();
        } catch (IllegalStateException e) {
            return "the bundle was uninstalled meanwhile";
        }
    }

    private String restore(Path backup, Path target, String shown) throws InterruptedException, IOException {
        Bundle broken = gears.bundleAt(target);
        long before = broken == null ? ANY : broken.getLastModified();
        BundleFacts prev;
        try {
            prev = BundleInspector.inspect(backup, shown);
        } catch (DeployException e) {
            prev = null;
        }
        Files.setLastModifiedTime(backup, FileTime.fromMillis(System.currentTimeMillis())); // FileInstall sees a change
        place(backup, target);
        Files.deleteIfExists(backup);
        if (prev == null) {
            return "rolled back: the previous " + shown + " is restored (it was not a bundle)";
        }
        String why = awaitUp(target, before, prev, shown);
        return why == null ? "rolled back: the previous " + shown + " is restored, " + prev + " " + (prev.fragment() ? "resolved" : "active")
                + " again" : "rolled back: the previous " + shown + " is restored, but " + prev + " is not up again: " + why;
    }

    private String remove(Path target, String shown) throws InterruptedException, IOException {
        Files.deleteIfExists(target);
        long deadline = System.currentTimeMillis() + startWaitMillis;
        while (gears.bundleAt(target) != null) {
            if (System.currentTimeMillis() >= deadline) {
                return "rolled back: removed " + shown + ", but FileInstall has not uninstalled the bundle within "
                        + startWaitMillis + " ms";
            }
            Thread.sleep(POLL_MS);
        }
        return "rolled back: removed " + shown + ", the bundle is uninstalled";
    }

    /** Copies into the staging folder, then moves into place atomically. */
    private void place(Path source, Path target) throws IOException {
        Files.createDirectories(staging);
        Path tmp = staging.resolve(target.getFileName() + ".new");
        if (!source.equals(tmp)) {
            Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            LOG.warn("{} and {} are on different file systems: moving {} non-atomically", staging, target.getParent(),
                    target.getFileName());
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Up: active (a fragment: resolved), with no old revision left waiting for a refresh. */
    private static boolean up(Bundle b, BundleFacts f) {
        if (b.getState() != (f.fragment() ? Bundle.RESOLVED : Bundle.ACTIVE)) {
            return false;
        }
        BundleRevisions revisions = b.adapt(BundleRevisions.class);
        return revisions == null || revisions.getRevisions().size() == 1;
    }

    private static String state(Bundle b) {
        return switch (b.getState()) {
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> "UNINSTALLED";
        };
    }
}
