package io.fluxrig.rack.runtime.deploy;

import io.fluxrig.rack.runtime.apply.PatchStatus;
import io.fluxrig.rack.runtime.patch.Validation;
import java.nio.file.Path;

/** The patch loop as {@link PatchApplier} sees it (the rack's PatchManager). All methods thread-safe. */
interface PatchTarget {
    /** @return the patch file the loop reads */
    Path patchFile();

    /** @param text a patch text @return the verdict the loop would reach now */
    Validation validate(String text);

    /** @return the loop's state, with the digests of the applied and the last refused text */
    PatchStatus status();

    /** Makes the loop read the patch file now. */
    void wake();
}
