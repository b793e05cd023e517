package io.fluxrig.mixer.rollout;

import io.fluxrig.snake.api.rollout.Rollout;
import io.fluxrig.snake.api.rollout.Rollout.RackProgress;
import io.fluxrig.snake.api.rollout.RolloutRequest;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An operator's rollback of a rollout, whether it is still running, paused, or has ended
 * ({@code done}, {@code failed}, {@code aborted}): every rack it changed gets the rollback steps
 * (given ones, or the restore steps the Mixer makes: the patch's snapshot, then each bundle's kept
 * release, the last change first), racks it never changed are left as they are, and the rollout
 * ends {@code rolled-back} once each rack has finished, as an automatic rollback does. The
 * {@link RolloutEngine} then drives it tick by tick. Pure logic, like the engine.
 *
 * <p>A rack whose step is queued but not taken has it withdrawn; one whose step the rack already
 * took counts as changed: the rack runs its commands in order, so the restore comes after that
 * step and undoes it. A rack that was changed again since (another rollout, a deploy) refuses to
 * restore over the newer change, and counts as failed in the rollback.
 */
final class RollbackAction {
    private RollbackAction() {
    }

    /**
     * @param r the rollout
     * @param now epoch millis
     * @param canceller withdraws a queued step
     * @return the rollout rolling back (or rolled back at once when it changed no rack)
     * @throws IllegalStateException when it is rolled back or rolling back already
     */
    static Rollout start(Rollout r, long now, RolloutEngine.Canceller canceller) throws IOException {
        if (Rollout.ROLLED_BACK.equals(r.state()) || Rollout.ROLLING_BACK.equals(r.state())) {
            throw new IllegalStateException("rollout " + r.id() + " is " + r.state() + " already");
        }
        RolloutRequest q = r.request();
        if (q.rollbackSteps().isEmpty()) {
            q = new RolloutRequest(q.selector(), q.waves(), q.steps(), RolloutEngine.restoreSteps(q.steps()), q.soakMillis(),
                    q.maxFailures(), q.onFailure(), q.deadlineMillis(), q.includeNew());
        }
        Map<String, RackProgress> racks = new LinkedHashMap<>();
        int back = 0;
        for (Map.Entry<String, RackProgress> e : r.racks().entrySet()) {
            RackProgress p = e.getValue();
            boolean inFlight = false;
            if (RackProgress.DEPLOYING.equals(p.state()) && p.command() != null) {
                inFlight = !canceller.cancel(e.getKey(), p.command());
            }
            if (RackProgress.ROLLED_BACK.equals(p.state()) || (!p.changed() && !inFlight && p.finished())) {
                racks.put(e.getKey(), p);
            } else if (p.changed() || inFlight) {
                racks.put(e.getKey(), new RackProgress(p.wave(), RackProgress.ROLLING_BACK, 0, null, now,
                        "rolling back by the operator (was " + p.state() + ": " + p.detail() + ")", true));
                back++;
            } else {
                racks.put(e.getKey(), new RackProgress(p.wave(), RackProgress.SKIPPED, p.step(), p.command(), now,
                        "not changed: the rollout is rolled back by the operator", false));
            }
        }
        return back == 0
                ? new Rollout(r.id(), q, Rollout.ROLLED_BACK, r.wave(), r.waveTargets(), racks, r.createdAt(), now,
                        "rolled back by the operator: no rack was changed")
                : new Rollout(r.id(), q, Rollout.ROLLING_BACK, r.wave(), r.waveTargets(), racks, r.createdAt(), now,
                        "rollback by the operator: restoring " + back + " rack(s)");
    }
}
