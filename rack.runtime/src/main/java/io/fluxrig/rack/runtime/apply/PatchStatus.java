package io.fluxrig.rack.runtime.apply;

import io.fluxrig.rack.runtime.patch.Patch;
import java.time.Instant;
import java.util.List;

/**
 * What the consoles show about the patch. Immutable snapshot.
 *
 * @param file the patch file, or "none"
 * @param applied the running patch
 * @param appliedAt when it was applied, or null
 * @param refusal the problems of the last refused patch (empty when the last patch was applied)
 * @param refusedAt when it was refused, or null
 * @param waiting true while a patch with unknown gear types is held back during the start grace
 * @param appliedDigest {@code sha256:<hex>} of the UTF-8 text of the running patch, or null
 *        before the first one was applied (the empty text when the rack runs without a file)
 * @param refusedDigest the same for the last refused text, or null (none, or the file could
 *        not be read)
 */
public record PatchStatus(String file, Patch applied, Instant appliedAt, List<String> refusal, Instant refusedAt,
        boolean waiting, String appliedDigest, String refusedDigest) {
    /** Copies the problem list. */
    public PatchStatus {
        refusal = List.copyOf(refusal);
    }
}
