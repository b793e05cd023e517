package io.fluxrig.rack.runtime.patch;

import java.util.List;
import java.util.Map;

/**
 * The verdict on a patch.
 *
 * @param patch the patch that was checked
 * @param problems every problem, one line each; empty when the patch can be applied
 * @param configs per instance, the configuration converted to the declared types (for ConfigAdmin)
 * @param unknownTypes true when some problem is an unknown gear type, which may go away by
 *     itself while gear bundles are still being installed
 */
public record Validation(Patch patch, List<String> problems, Map<String, Map<String, Object>> configs,
        boolean unknownTypes) {

    /** Copies the collections. */
    public Validation {
        problems = List.copyOf(problems);
        configs = Map.copyOf(configs);
    }

    /** @return true when the patch can be applied */
    public boolean ok() {
        return problems.isEmpty();
    }
}
