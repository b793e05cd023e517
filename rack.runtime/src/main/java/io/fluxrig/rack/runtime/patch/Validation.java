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
 * @param unknownTypeProblems how many of the problems are unknown gear types
 */
public record Validation(Patch patch, List<String> problems, Map<String, Map<String, Object>> configs,
        boolean unknownTypes, int unknownTypeProblems) {

    /** Copies the collections. */
    public Validation {
        problems = List.copyOf(problems);
        configs = Map.copyOf(configs);
    }

    /** A verdict without unknown gear types. */
    public Validation(Patch patch, List<String> problems, Map<String, Map<String, Object>> configs) {
        this(patch, problems, configs, false, 0);
    }

    /** @return true when every problem is an unknown gear type (so it may pass once bundles are installed) */
    public boolean onlyUnknownTypes() {
        return unknownTypeProblems > 0 && unknownTypeProblems == problems.size();
    }

    /** @return true when the patch can be applied */
    public boolean ok() {
        return problems.isEmpty();
    }
}
