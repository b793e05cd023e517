package io.fluxrig.snake.api.rollout;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A rollout as the Mixer keeps it (KV bucket {@code fluxrig_mixer_rollouts}) and the operator API
 * shows it. Immutable; the Mixer writes a new one with compare-and-set at every change.
 *
 * @param id its id
 * @param request what was asked
 * @param state {@value #RUNNING}, {@value #PAUSED}, or a terminal one: {@value #DONE},
 *        {@value #FAILED} (stopped by the failure threshold, nothing to roll back with),
 *        {@value #ROLLED_BACK}, {@value #ABORTED}
 * @param wave the wave now open (0-based); racks of this and earlier waves may be changed
 * @param waveTargets cumulative rack counts per wave, as planned when the rollout started
 * @param racks per rack, its progress
 * @param createdAt epoch millis
 * @param updatedAt epoch millis of the last change
 * @param reason why the state last changed
 * @param traces where the traces of the gears it changed are: filled in by the operator API's answer
 *        for one rollout, null as stored (and from a Mixer that does not know it)
 */
public record Rollout(String id, RolloutRequest request, String state, int wave, List<Integer> waveTargets,
        Map<String, RackProgress> racks, long createdAt, long updatedAt, String reason, RolloutTraces traces) {
    public static final String RUNNING = "running";
    public static final String PAUSED = "paused";
    public static final String DONE = "done";
    public static final String FAILED = "failed";
    public static final String ROLLING_BACK = "rolling-back";
    public static final String ROLLED_BACK = "rolled-back";
    public static final String ABORTED = "aborted";
    /** On failure: pause and wait for the operator. */
    public static final String PAUSE = "pause";
    /** On failure: restore the previous release on the racks already changed. */
    public static final String ROLLBACK = "rollback";
    /** States after which nothing changes any more. */
    public static final Set<String> TERMINAL = Set.of(DONE, FAILED, ROLLED_BACK, ABORTED);

    /** Null collections become empty. */
    public Rollout {
        waveTargets = waveTargets == null ? List.of() : List.copyOf(waveTargets);
        racks = racks == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(racks)); // sorted by rack name
    }

    /** A rollout as stored: without {@code traces}. */
    public Rollout(String id, RolloutRequest request, String state, int wave, List<Integer> waveTargets,
            Map<String, RackProgress> racks, long createdAt, long updatedAt, String reason) {
        this(id, request, state, wave, waveTargets, racks, createdAt, updatedAt, reason, null);
    }

    /** @return a copy with these traces */
    public Rollout withTraces(RolloutTraces t) {
        return new Rollout(id, request, state, wave, waveTargets, racks, createdAt, updatedAt, reason, t);
    }

    /** @return whether the rollout has ended */
    public boolean finished() {
        return TERMINAL.contains(state);
    }

    /**
     * One rack's progress.
     *
     * @param wave its wave
     * @param state {@value #QUEUED}, {@value #DEPLOYING}, {@value #SOAKING}, or a terminal one:
     *        {@value #DONE}, {@value #FAILED}, {@value #TIMED_OUT}, {@value #ROLLED_BACK},
     *        {@value #SKIPPED}; while rolling back: {@value #ROLLING_BACK}
     * @param step the index of the step in flight (in the rollback steps while rolling back)
     * @param command the id of the command in flight, or null
     * @param since epoch millis the rack entered this state (the progress deadline counts from here)
     * @param detail the last thing that happened, for the operator
     * @param changed whether an install or patch step reached the rack (it needs a rollback)
     */
    public record RackProgress(int wave, String state, int step, String command, long since, String detail, boolean changed) {
        public static final String QUEUED = "queued";
        public static final String DEPLOYING = "deploying";
        public static final String SOAKING = "soaking";
        public static final String DONE = "done";
        public static final String FAILED = "failed";
        public static final String TIMED_OUT = "timed-out";
        public static final String ROLLING_BACK = "rolling-back";
        public static final String ROLLED_BACK = "rolled-back";
        public static final String SKIPPED = "skipped";
        /** States after which the rack is not touched again by this rollout (unless it rolls back). */
        public static final Set<String> TERMINAL = Set.of(DONE, FAILED, TIMED_OUT, ROLLED_BACK, SKIPPED);

        /** @return whether this rack is finished in this rollout */
        public boolean finished() {
            return TERMINAL.contains(state);
        }

        /** @return whether it counts against the failure threshold */
        public boolean failure() {
            return FAILED.equals(state) || TIMED_OUT.equals(state);
        }
    }
}
