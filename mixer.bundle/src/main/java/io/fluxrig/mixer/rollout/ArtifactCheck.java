package io.fluxrig.mixer.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import io.fluxrig.mixer.artifact.Artifacts;
import io.fluxrig.mixer.store.RackRecord;
import io.fluxrig.snake.api.ArtifactDigest;
import io.fluxrig.snake.api.CommandType;
import io.fluxrig.snake.api.release.ReleaseTrust;
import io.fluxrig.snake.api.rollout.Rollout;
import io.fluxrig.snake.api.rollout.RolloutStep;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code rollout create} checks before anything is stored or sent, so that a rollout does not
 * fail rack by rack for a reason the Mixer knows already: every artifact a step (or a rollback
 * step) names is in this Mixer's artifact store, and no step without a signed release goes to a
 * rack that pins publisher keys (its inventory says so). A restore step names no artifact of the
 * Mixer's (the rack restores its own copy). Stateless.
 */
final class ArtifactCheck {
    private ArtifactCheck() {
    }

    /**
     * @param r the planned rollout
     * @param artifacts the Mixer's artifact store
     * @param fleet the registry's racks (for their release trust)
     * @throws IllegalArgumentException naming the step's artifact and the reason
     */
    static void check(Rollout r, Artifacts artifacts, List<RackRecord> fleet) {
        List<RolloutStep> all = new ArrayList<>(r.request().steps());
        all.addAll(r.request().rollbackSteps());
        for (RolloutStep s : all) {
            if (restore(s)) {
                continue;
            }
            if (!ArtifactDigest.valid(s.digest()) || artifacts.file(ArtifactDigest.hex(s.digest())).isEmpty()) {
                throw new IllegalArgumentException("steps: artifact " + s.name() + " (" + s.digest() + ") is not stored on this "
                        + "Mixer; upload it first (POST /api/artifacts, as 'rollout create' does)");
            }
        }
        List<String> pinned = fleet.stream().filter(x -> r.racks().containsKey(x.name())).filter(ArtifactCheck::pinsKeys)
                .map(RackRecord::name).sorted().toList();
        if (pinned.isEmpty()) {
            return;
        }
        for (RolloutStep s : all) {
            if (s.release() == null && !restore(s)) {
                throw new IllegalArgumentException("steps: " + s.type() + " " + s.name() + " (" + s.digest() + ") has no signed "
                        + "release (" + s.name() + ".sig), but " + String.join(", ", pinned.subList(0, Math.min(5, pinned.size())))
                        + (pinned.size() > 5 ? " and " + (pinned.size() - 5) + " more" : "") + " pin publisher keys and would refuse it;"
                        + " sign it with 'fluxrig release sign'");
            }
        }
    }

    /** A restore step undoes a change with what the rack kept: no artifact, no release. */
    private static boolean restore(RolloutStep s) {
        return CommandType.RESTORE_BUNDLE.wire().equals(s.type()) || CommandType.RESTORE_PATCH.wire().equals(s.type());
    }

    private static boolean pinsKeys(RackRecord r) {
        JsonNode inv = r.inventory();
        return inv != null && ReleaseTrust.PINNED.equals(inv.path("releases").path("mode").asText(""));
    }
}
