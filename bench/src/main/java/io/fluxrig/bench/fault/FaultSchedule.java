package io.fluxrig.bench.fault;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The trials of a fault run: each family {@code seeds} times, one seed per round, in the order
 * given (every round of a family, then the next family). A trial's seed fixes what is random in it:
 * when the fault comes (uniform within {@code faultAt ± jitter} seconds) and which of the candidate
 * targets it hits, where a family has a choice (the second node of {@code kill2}, the core rack of
 * {@code core}, the edge of {@code edge}). The same family and seed always give the same trial, so
 * one row can be run again ({@code families=F seed=S seeds=1}). Pure; immutable.
 */
final class FaultSchedule {
    /** The families the runner knows, in their default order. */
    static final List<String> FAMILIES = List.of("kill", "kill2", "pause", "partition", "restart", "core", "edge");

    /**
     * One fault, one load.
     *
     * @param family the fault family
     * @param round 1..seeds
     * @param seed what fixes the trial's choices
     * @param faultAtMs when the fault comes, milliseconds into the load
     * @param pick chooses a target among candidates ({@link #choose})
     */
    record Trial(String family, int round, long seed, long faultAtMs, long pick) {
        /**
         * @param candidates the possible targets, in a stable order (e.g. sorted by name)
         * @return the one this trial hits
         */
        <T> T choose(List<T> candidates) {
            if (candidates.isEmpty()) {
                throw new IllegalArgumentException(family + ": no target to choose from");
            }
            return candidates.get((int) Math.floorMod(pick, (long) candidates.size()));
        }
    }

    private FaultSchedule() {
    }

    /**
     * @param families the families, each one of {@link #FAMILIES}
     * @param seeds rounds per family, 1 or more
     * @param firstSeed the first round's seed; round r has {@code firstSeed + r - 1}
     * @param faultAtS the fault's mean place in the load, seconds
     * @param jitterS how far the fault may move from it either way, seconds (0: always at faultAtS)
     * @param loadS the load's length, seconds: the fault always comes at least 1 s into it and 1 s before its end
     * @return the trials in run order
     * @throws IllegalArgumentException naming an unknown family or a setting out of range
     */
    static List<Trial> plan(List<String> families, int seeds, long firstSeed, int faultAtS, int jitterS, int loadS) {
        if (seeds < 1) {
            throw new IllegalArgumentException("seeds=" + seeds + ": 1 or more");
        }
        if (jitterS < 0 || faultAtS < 1 || faultAtS >= loadS) {
            throw new IllegalArgumentException("faultAt=" + faultAtS + " jitter=" + jitterS + " seconds=" + loadS
                    + ": the fault must come inside the load (1 <= faultAt < seconds, jitter >= 0)");
        }
        List<Trial> trials = new ArrayList<>();
        for (String f : families) {
            if (!FAMILIES.contains(f)) {
                throw new IllegalArgumentException("unknown family " + f + " (" + String.join(", ", FAMILIES) + ")");
            }
            for (int r = 1; r <= seeds; r++) {
                long seed = firstSeed + r - 1;
                Random random = new Random(seed * 1_000_003L + f.hashCode());
                long offset = jitterS == 0 ? 0 : Math.round((random.nextDouble() * 2 - 1) * jitterS * 1000);
                long at = Math.max(1000, Math.min((loadS - 1) * 1000L, faultAtS * 1000L + offset));
                trials.add(new Trial(f, r, seed, at, random.nextLong()));
            }
        }
        return List.copyOf(trials);
    }
}
