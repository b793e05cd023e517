package io.fluxrig.cli.mixer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns successive views of one rollout (the operator API's record as {@link MixerApiClient}
 * parses it: {@code id, state, wave, waveTargets, racks{name: {wave, state, detail}}, reason})
 * into progress lines: one when the rollout's state or open wave changes, one per rack state
 * change (with the rack's detail). Used by {@code rollout status ID --watch}, the demo and the
 * rollout bench, so they all say the same thing.
 *
 * <p>Not thread-safe: one caller feeds it the views in order.
 */
public final class RolloutWatch {
    /** Rollout states after which nothing changes (the API's terminal states, and paused: it waits for an operator). */
    public static final Set<String> ENDED = Set.of("done", "failed", "rolled-back", "aborted", "paused");

    private final String label;
    private final Map<String, String> rackStates = new HashMap<>();
    private String state;
    private int wave = -1;

    /** @param label how lines name the rollout, e.g. its selector; null for its id alone */
    public RolloutWatch(String label) {
        this.label = label;
    }

    /**
     * @param rollout the rollout now
     * @return what changed since the previous view, one line each (empty when nothing did)
     */
    public List<String> changes(Map<?, ?> rollout) {
        List<String> out = new ArrayList<>();
        String id = String.valueOf(rollout.get("id"));
        String prefix = "rollout " + id + (label == null ? "" : " (" + label + ")") + ": ";
        int waves = rollout.get("waveTargets") instanceof List<?> l ? l.size() : 0;
        int open = rollout.get("wave") instanceof Number n ? n.intValue() : 0;
        String now = String.valueOf(rollout.get("state"));
        if (open != wave && !ENDED.contains(now)) {
            out.add(prefix + "wave " + (open + 1) + " of " + waves + " open (" + rollout.get("reason") + ")");
            wave = open;
        }
        if (rollout.get("racks") instanceof Map<?, ?> racks) {
            for (Map.Entry<?, ?> e : racks.entrySet()) {
                Map<?, ?> p = (Map<?, ?>) e.getValue();
                String rack = String.valueOf(e.getKey());
                String s = String.valueOf(p.get("state"));
                if (!s.equals(rackStates.put(rack, s))) {
                    out.add(prefix + rack + " " + s + ": " + p.get("detail"));
                }
            }
        }
        if (!now.equals(state)) {
            if (state != null || ENDED.contains(now)) {
                out.add(prefix + now + ": " + rollout.get("reason"));
            }
            state = now;
        }
        return out;
    }

    /** @return whether the last view showed the rollout ended (or paused, waiting for an operator) */
    public boolean ended() {
        return state != null && ENDED.contains(state);
    }

    /** @return the rollout's state in the last view, or null before the first */
    public String state() {
        return state;
    }
}
