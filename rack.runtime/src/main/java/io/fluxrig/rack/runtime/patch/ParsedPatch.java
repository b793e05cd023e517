package io.fluxrig.rack.runtime.patch;

import java.util.List;

/**
 * What the parser made of a patch text.
 *
 * @param patch the patch as far as it could be read (meaningful only when problems is empty)
 * @param problems every problem found, one line each, naming line and column
 */
public record ParsedPatch(Patch patch, List<String> problems) {
    /** Copies the problem list. */
    public ParsedPatch {
        problems = List.copyOf(problems);
    }
}
