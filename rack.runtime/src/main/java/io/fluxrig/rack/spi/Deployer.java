package io.fluxrig.rack.spi;

import java.nio.file.Path;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What the Snake's command stream needs to deploy onto this rack, kept free of OSGi types so the
 * Snake can be built and tested without a framework. A service of the rack runtime: it installs
 * gear bundles through the FileInstall folder and writes the patch file; a Snake built without
 * one refuses both command types.
 *
 * <p>Threading: called on the Snake's command thread, one call at a time; each call blocks
 * (bounded) until the rack reached the new state or the change was undone.
 */
@ProviderType
public interface Deployer {
    /**
     * Installs or updates a gear bundle and waits until it is active (a fragment: resolved).
     *
     * @param artifact the verified artifact file (a jar)
     * @param label how to name the artifact in messages, e.g. {@code gear.json.jar sha256:ab12cd34ef56..}
     * @return what happened, e.g. {@code io.fluxrig.gear.json 1.0.0 (..) active from gears/..}
     * @throws DeployException refused (not a bundle, a base bundle) or failed (did not start;
     *         the message says what was rolled back)
     * @throws InterruptedException when the command thread is interrupted
     */
    String installBundle(Path artifact, String label) throws DeployException, InterruptedException;

    /**
     * {@link #installBundle(Path, String)}, recording where the release comes from with the
     * installed bundle's name and version, so that the spans of its gears name the rollout and the
     * release's sequence (see {@link DeployOrigin}).
     *
     * @param artifact the verified artifact file (a jar)
     * @param label how to name the artifact in messages
     * @param origin the rollout and release sequence
     * @return what happened
     * @throws DeployException as {@link #installBundle(Path, String)}
     * @throws InterruptedException when the command thread is interrupted
     */
    default String installBundle(Path artifact, String label, DeployOrigin origin) throws DeployException, InterruptedException {
        return installBundle(artifact, label);
    }

    /**
     * Validates a patch, writes it to the rack's patch file and waits until the rack applied it.
     *
     * @param artifact the verified artifact file (UTF-8 patch text)
     * @param label how to name the artifact in messages
     * @return what happened, e.g. {@code applied: 3 gears, 2 links (..)}
     * @throws DeployException refused (not text, invalid patch: the file is left unchanged) or
     *         failed (the rack refused it or did not apply it in time)
     * @throws InterruptedException when the command thread is interrupted
     */
    String applyPatch(Path artifact, String label) throws DeployException, InterruptedException;

    /**
     * {@link #applyPatch(Path, String)}, recording who signed the patch in the numbered snapshot
     * the rack keeps of every patch it applies (so that {@link #restorePatch} can put it back).
     *
     * @param artifact the verified artifact file (UTF-8 patch text)
     * @param label how to name the artifact in messages
     * @param signedBy what signed it, for the snapshot (e.g. {@code key ed25519:.., release flow 3, sequence 3}),
     *        or {@code unsigned (development mode)}
     * @return what happened
     * @throws DeployException as {@link #applyPatch(Path, String)}
     * @throws InterruptedException when the command thread is interrupted
     */
    default String applyPatch(Path artifact, String label, String signedBy) throws DeployException, InterruptedException {
        return applyPatch(artifact, label);
    }

    /**
     * {@link #applyPatch(Path, String, String)}, recording where the patch comes from with its
     * digest, so that the spans of the rack's gears name the rollout while that patch is applied.
     *
     * @param artifact the verified artifact file (UTF-8 patch text)
     * @param label how to name the artifact in messages
     * @param signedBy what signed it, for the snapshot
     * @param origin the rollout and release sequence
     * @return what happened
     * @throws DeployException as {@link #applyPatch(Path, String)}
     * @throws InterruptedException when the command thread is interrupted
     */
    default String applyPatch(Path artifact, String label, String signedBy, DeployOrigin origin)
            throws DeployException, InterruptedException {
        return applyPatch(artifact, label, signedBy);
    }

    /**
     * Undoes the last {@link #applyPatch} of the patch with this digest: every application that
     * changed the patch keeps a numbered snapshot of the new patch and names the one it replaced
     * (or that there was none), and this makes that previous patch the rack's patch again,
     * validated and applied like any patch (or removes the patch file when there was none).
     *
     * @param digest {@code sha256:<hex>} of the applied patch to undo
     * @param label how to name the patch in messages
     * @return what happened, e.g. {@code restored patch snapshot 3 (..): applied: ..}, or why
     *         there was nothing to restore (no record of that application, or it changed nothing)
     * @throws DeployException refused (the patch changed again since, or the snapshot to go back
     *         to is no longer kept) or failed (the previous patch was not applied again)
     * @throws InterruptedException when the command thread is interrupted
     */
    default String restorePatch(String digest, String label) throws DeployException, InterruptedException {
        throw DeployException.refused("this rack keeps no patch snapshots: cannot restore the patch before " + label);
    }

    /**
     * Undoes the last {@link #installBundle} of the bundle with this digest: every successful
     * install keeps what it replaced (a copy of the previous jar with its version and digest, or
     * the fact that the bundle was new), and this puts it back and waits until it is up again,
     * or removes a bundle that was new. The kept copy is dropped once restored.
     *
     * @param digest {@code sha256:<hex>} of the installed release to undo
     * @param label how to name the release in messages
     * @return what happened, e.g. {@code restored io.fluxrig.gear.json 1.0.0 (..) active from gears/..},
     *         or why there was nothing to restore (no record of that install, or it changed nothing)
     * @throws DeployException refused (the bundle changed again since that install) or failed
     *         (the previous bundle did not come up again)
     * @throws InterruptedException when the command thread is interrupted
     */
    String restoreBundle(String digest, String label) throws DeployException, InterruptedException;
}
