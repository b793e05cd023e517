package io.fluxrig.rack.runtime.deploy;

import io.fluxrig.rack.runtime.apply.PatchDigest;
import io.fluxrig.rack.runtime.apply.PatchStatus;
import io.fluxrig.rack.runtime.patch.Patch;
import io.fluxrig.rack.runtime.patch.PatchDiff;
import io.fluxrig.rack.runtime.patch.Validation;
import io.fluxrig.rack.spi.DeployException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Makes a patch artifact the rack's flow: checks it as the patch loop would (so a patch the rack
 * would refuse is never written: the file is what the rack runs at its next start), writes it
 * atomically to the patch file, wakes the loop and waits until the loop reports this text
 * applied or refused. A patch whose only problems are unknown gear types is checked again for a
 * while, since bundles installed just before may still be registering their types. When the
 * loop refuses the written text, or does not apply it in time, the previous file is put back.
 * Every application is recorded in the rack's numbered {@link PatchSnapshots}, so that
 * {@link #restore} can undo it later (a rollout's rollback) with the patch it replaced.
 *
 * <p>Threading: one call at a time on the caller's thread (the Snake's command thread); blocks
 * up to the type wait plus the apply wait.
 */
final class PatchApplier {
    private static final long POLL_MS = 50;

    private final PatchTarget loop;
    private final long typeWaitMillis;
    private final long applyWaitMillis;
    private final PatchSnapshots snapshots; // null: none kept

    /** Without snapshots. */
    PatchApplier(PatchTarget loop, long typeWaitMillis, long applyWaitMillis) {
        this(loop, typeWaitMillis, applyWaitMillis, null);
    }

    /**
     * @param loop the patch loop
     * @param typeWaitMillis how long unknown gear types are checked again before the patch is refused
     * @param applyWaitMillis how long the loop may take to apply a written patch
     * @param snapshots where applications are recorded, or null to keep none
     */
    PatchApplier(PatchTarget loop, long typeWaitMillis, long applyWaitMillis, PatchSnapshots snapshots) {
        this.loop = loop;
        this.typeWaitMillis = typeWaitMillis;
        this.applyWaitMillis = applyWaitMillis;
        this.snapshots = snapshots;
    }

    /** Applies without a snapshot record of who signed it. */
    String apply(Path artifact, String label) throws DeployException, InterruptedException, IOException {
        return apply(artifact, label, null);
    }

    /**
     * @param artifact the patch artifact
     * @param label names it in messages and in its snapshot
     * @param signedBy what signed it, for the snapshot (null: not said)
     */
    String apply(Path artifact, String label, String signedBy) throws DeployException, InterruptedException, IOException {
        String text = PatchText.read(artifact, label);
        Path file = loop.patchFile();
        byte[] previous = Files.exists(file) ? Files.readAllBytes(file) : null;
        String done = applyText(text, label);
        if (snapshots != null) {
            if (done.startsWith(ALREADY)) {
                snapshots.unchanged(text, label, signedBy);
            } else {
                done += " (patch snapshot " + snapshots.changed(text, label, signedBy, previous).number() + ")";
            }
        }
        return done;
    }

    /**
     * Undoes the last application of the patch with this digest: the patch it replaced (its
     * snapshot) is validated and applied again, or the empty patch when there was none.
     *
     * @param digest {@code sha256:<hex>} of the applied patch
     * @param label names it in messages
     */
    String restore(String digest, String label) throws DeployException, InterruptedException, IOException {
        PatchSnapshots.Snapshot s = snapshots == null ? null : snapshots.newest(digest).orElse(null);
        if (s == null) {
            return "nothing to restore: this rack kept no snapshot of applying " + label
                    + " (not applied here, or its snapshot was dropped)";
        }
        if (PatchSnapshots.UNCHANGED.equals(s.last())) {
            snapshots.mark(s, PatchSnapshots.UNDONE);
            return "nothing to restore: applying " + label + " found it in place already (patch snapshot " + s.number()
                    + ") and changed nothing";
        }
        if (PatchSnapshots.UNDONE.equals(s.last())) {
            return "nothing to restore: the application of " + label + " (patch snapshot " + s.number() + ") was undone already";
        }
        Path file = loop.patchFile();
        byte[] now = Files.exists(file) ? Files.readAllBytes(file) : null;
        if (!digest.equals(loop.status().appliedDigest()) || now == null || !digest.equals(PatchDigest.of(now))) {
            throw DeployException.refused("the rack's patch is no longer " + label + " (patch snapshot " + s.number()
                    + "): it changed again since; not restoring over it");
        }
        String text;
        String back;
        if (PatchSnapshots.NONE.equals(s.replaced())) {
            text = "";
            back = "the empty patch (there was none before patch snapshot " + s.number() + ")";
        } else {
            int number = Integer.parseInt(s.replaced());
            PatchSnapshots.Snapshot prev = snapshots.get(number).orElseThrow(() -> DeployException.refused("patch snapshot "
                    + number + ", the patch " + label + " replaced, is no longer kept; the patch is left as it is"));
            text = snapshots.text(prev);
            if (!prev.digest().equals(PatchDigest.of(text))) {
                throw DeployException.failed("patch snapshot " + number + " is damaged (its text is not " + prev.digest()
                        + "); the patch is left as it is");
            }
            String shortDigest = prev.digest().substring(0, 19) + "..";
            back = "patch snapshot " + number + " (" + prev.name() + (prev.name().contains(shortDigest) ? "" : ", " + shortDigest) + ")";
        }
        String applied = applyText(text, back);
        snapshots.mark(s, PatchSnapshots.UNDONE);
        return "restored " + back + " in place of " + label + ": " + applied;
    }

    private static final String ALREADY = "already applied: ";

    private String applyText(String text, String label) throws DeployException, InterruptedException, IOException {
        String digest = PatchDigest.of(text);
        Path file = loop.patchFile();
        byte[] previous = Files.exists(file) ? Files.readAllBytes(file) : null;
        PatchStatus before = loop.status();
        if (digest.equals(before.appliedDigest()) && previous != null && digest.equals(PatchDigest.of(previous))) {
            return ALREADY + summary(before.applied()) + " from " + label + " (" + file + ")";
        }
        Validation v = loop.validate(text);
        long typeDeadline = System.currentTimeMillis() + typeWaitMillis;
        while (!v.ok() && v.onlyUnknownTypes() && System.currentTimeMillis() < typeDeadline) {
            Thread.sleep(POLL_MS);
            v = loop.validate(text);
        }
        if (!v.ok()) {
            throw DeployException.refused(label + " is not a valid patch for this rack (" + v.problems().size()
                    + " problem(s)); the patch file is unchanged:\n" + String.join("\n", v.problems()));
        }
        PatchDiff diff = PatchDiff.of(before.applied(), v.patch());
        long written = System.currentTimeMillis();
        write(file, text.getBytes(StandardCharsets.UTF_8));
        loop.wake();
        long deadline = written + applyWaitMillis;
        while (System.currentTimeMillis() < deadline) {
            PatchStatus s = loop.status();
            if (digest.equals(s.appliedDigest())) {
                return "applied: " + summary(v.patch()) + " (" + diff + ") from " + label + " to " + file;
            }
            if (digest.equals(s.refusedDigest()) && s.refusedAt() != null && s.refusedAt().toEpochMilli() >= written) {
                String undone = restore(file, previous);
                throw DeployException.failed(label + " was refused by the rack (" + s.refusal().size() + " problem(s)); "
                        + undone + ":\n" + String.join("\n", s.refusal()));
            }
            Thread.sleep(POLL_MS);
        }
        String undone = restore(file, previous);
        throw DeployException.failed(label + " was not applied within " + applyWaitMillis + " ms"
                + (loop.status().waiting() ? " (the rack is waiting for gear types)" : "") + "; " + undone);
    }

    private String restore(Path file, byte[] previous) throws IOException {
        if (previous == null) {
            Files.deleteIfExists(file);
            loop.wake();
            return "the patch file " + file + " is removed again (there was none before)";
        }
        write(file, previous);
        loop.wake();
        return "the patch file " + file + " is restored to its previous content";
    }

    /** Writes beside the file, then renames: the loop never reads half a patch. */
    private static void write(Path file, byte[] content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + file.getFileName() + ".deploy.tmp");
        Files.write(tmp, content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String summary(Patch p) {
        return p.gears().size() + " gears, " + p.links().size() + " links";
    }
}
