package io.fluxrig.mixer.rollout;

import io.fluxrig.snake.api.CommandType;
import io.fluxrig.snake.api.RackSummary;
import io.fluxrig.snake.api.rollout.Rollout;
import io.fluxrig.snake.api.rollout.Rollout.RackProgress;
import io.fluxrig.snake.api.rollout.RackSelector;
import io.fluxrig.snake.api.rollout.RolloutRequest;
import io.fluxrig.snake.api.rollout.RolloutStep;
import java.io.IOException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The rollout state machine, as pure logic: given a rollout, the fleet as the registry sees it,
 * the commands' results and the time, {@link #advance} says what the rollout looks like now and
 * sends the commands due (through a {@link Sender}). The Mixer's driver calls it every tick and
 * stores the result with compare-and-set; tests call it with fakes.
 *
 * <p>Per rack: {@code queued} (until its wave opens, and while another rollout holds the rack) →
 * {@code deploying} (one step at a time, each sent only after the previous one is done) →
 * {@code soaking} (online, a heartbeat after the change, no unhealthy gear, and every heartbeat summary
 * after the change within the error-rate and p99 limits ({@link RolloutHealth}), for the soak period) →
 * {@code done}; a refused or failed step, or a health problem, makes it {@code failed}; a
 * state held longer than the progress deadline makes it {@code timed-out}. Every non-terminal
 * state has that deadline, so no rack is left in progress forever, and a stuck rack only counts as
 * a failure: it never blocks later rollouts. Per rollout: a wave passes when each of its racks has
 * finished and failures stay within {@code maxFailures}; then the next wave opens; more failures
 * pause the rollout or roll back every rack already changed ({@code rollbackSteps}). Racks that
 * start matching the selector while the rollout runs join the open wave ({@code includeNew}).
 * Stateless; not thread-safe only in the sense that a caller must not advance one rollout twice
 * at once (the store's compare-and-set makes a second writer lose).
 */
final class RolloutEngine {
    /** Sends one command to one rack. */
    @FunctionalInterface
    interface Sender {
        /** @return the queued command's id @throws IOException when it could not be queued */
        String send(String rack, RolloutStep step) throws IOException;
    }

    /** A command's state as the store has it: pending, done, failed or refused, and the rack's detail. */
    record CommandView(String state, String detail) {
    }

    /**
     * A rack as the registry sees it now.
     *
     * @param name the rack
     * @param labels its labels
     * @param online whether it is online
     * @param lastSeen epoch millis of its last heartbeat
     * @param healthProblem why it is unhealthy (e.g. a gear whose service failed), or null
     * @param notReady what is not up yet (e.g. a gear waiting for its service right after a
     *        change), or null: a soak does not pass while it is set, and does not fail either
     *        until the progress deadline
     * @param summary its latest heartbeat summary while online (traffic and processing times), or
     *        null: the soak's traffic gate ({@link RolloutHealth}) judges it
     * @param gearBundles each gear instance's bound bundle as the rack reports it, for the gate's
     *        touched instances; empty when unknown
     */
    record RackView(String name, Map<String, String> labels, boolean online, long lastSeen, String healthProblem, String notReady,
            RackSummary summary, Map<String, String> gearBundles) {
        /** A rack with nothing pending. */
        RackView(String name, Map<String, String> labels, boolean online, long lastSeen, String healthProblem) {
            this(name, labels, online, lastSeen, healthProblem, null);
        }

        /** A rack without a summary. */
        RackView(String name, Map<String, String> labels, boolean online, long lastSeen, String healthProblem, String notReady) {
            this(name, labels, online, lastSeen, healthProblem, notReady, null, Map.of());
        }
    }

    private RolloutEngine() {
    }

    /**
     * Checks a request and plans its waves over the racks it selects now.
     *
     * @throws IllegalArgumentException naming the field
     */
    static Rollout create(String id, RolloutRequest q, List<RackView> fleet, long now) {
        RackSelector selector = RackSelector.parse(q.selector());
        WavePlan.check(q.waves());
        if (q.steps().isEmpty()) {
            throw new IllegalArgumentException("steps: nothing to roll out (give bundles and/or a patch)");
        }
        for (RolloutStep s : q.steps()) {
            CommandType t = CommandType.of(s.type()).orElse(null);
            if (t == null || !t.takesArtifact() || t == CommandType.FETCH_ARTIFACT || t == CommandType.RESTORE_BUNDLE
                    || t == CommandType.RESTORE_PATCH) {
                throw new IllegalArgumentException("steps: '" + s.type() + "' must be preflight-bundle, install-bundle or apply-patch");
            }
        }
        for (RolloutStep s : q.rollbackSteps()) {
            CommandType t = CommandType.of(s.type()).orElse(null);
            if (t == null || !t.takesArtifact() || t == CommandType.FETCH_ARTIFACT) {
                throw new IllegalArgumentException("rollbackSteps: '" + s.type()
                        + "' must be preflight-bundle, install-bundle, apply-patch, restore-bundle or restore-patch");
            }
        }
        if (q.soakMillis() < 0 || q.deadlineMillis() < 1000 || q.maxFailures() < 0) {
            throw new IllegalArgumentException("soakMillis must be 0 or more, deadlineMillis 1000 or more, maxFailures 0 or more");
        }
        if (q.maxErrorRate() != null && !(q.maxErrorRate() >= 0 && q.maxErrorRate() <= 1)) {
            throw new IllegalArgumentException("maxErrorRate: " + q.maxErrorRate() + " must be a fraction from 0 to 1");
        }
        if (q.maxP99Millis() != null && !(q.maxP99Millis() > 0)) {
            throw new IllegalArgumentException("maxP99Millis: " + q.maxP99Millis() + " must be more than 0");
        }
        if (!Rollout.PAUSE.equals(q.onFailure()) && !Rollout.ROLLBACK.equals(q.onFailure())) {
            throw new IllegalArgumentException("onFailure: '" + q.onFailure() + "' must be pause or rollback");
        }
        if (Rollout.ROLLBACK.equals(q.onFailure()) && q.rollbackSteps().isEmpty()) {
            q = q.with(restoreSteps(q.steps()), q.maxFailures());
        }
        List<RackView> selected = fleet.stream().filter(r -> selector.matches(r.name(), r.labels()))
                .sorted(Comparator.comparing(RackView::name)).toList();
        if (selected.isEmpty()) {
            throw new IllegalArgumentException("selector: '" + selector + "' matches no registered rack");
        }
        List<Integer> targets = WavePlan.targets(q.waves(), selected.size());
        Map<String, RackProgress> racks = new LinkedHashMap<>();
        for (int i = 0; i < selected.size(); i++) {
            int wave = 0;
            while (i >= targets.get(wave)) {
                wave++;
            }
            RackView r = selected.get(i);
            racks.put(r.name(), new RackProgress(wave, RackProgress.QUEUED, 0, null, now,
                    r.online() ? "waiting for wave " + (wave + 1) : "offline: the change waits for it (queued)", false));
        }
        return new Rollout(id, q, Rollout.RUNNING, 0, targets, racks, now, now,
                selected.size() + " rack(s) in " + targets.size() + " wave(s)");
    }

    /**
     * The rollback each rack can do by itself: undo every change of the rollout, the last one
     * first (the patch before the bundles its gears need), each with what the rack kept of what
     * it replaced: the previous bundle's copy (a bundle new to the rack is uninstalled), the
     * previous patch's numbered snapshot. A change that never ran there answers that there was
     * nothing to restore.
     */
    static List<RolloutStep> restoreSteps(List<RolloutStep> steps) {
        List<RolloutStep> back = new java.util.ArrayList<>();
        for (RolloutStep s : steps) {
            if (CommandType.INSTALL_BUNDLE.wire().equals(s.type())) {
                back.add(0, new RolloutStep(CommandType.RESTORE_BUNDLE.wire(), s.digest(), s.name(), null));
            } else if (CommandType.APPLY_PATCH.wire().equals(s.type())) {
                back.add(0, new RolloutStep(CommandType.RESTORE_PATCH.wire(), s.digest(), s.name(), null));
            }
        }
        return back;
    }

    /**
     * @param r the rollout
     * @param fleet every registered, unrevoked rack
     * @param commands a command's state by id (null when unknown)
     * @param busy racks another unfinished rollout holds (their rollout id by rack)
     * @param sender queues commands
     * @param now epoch millis
     * @return the rollout now (the same instance when nothing changed)
     */
    static Rollout advance(Rollout r, List<RackView> fleet, java.util.function.Function<String, CommandView> commands,
            Map<String, String> busy, Sender sender, long now) {
        if (r.finished()) {
            return r;
        }
        RolloutRequest q = r.request();
        Map<String, RackView> byName = new TreeMap<>();
        fleet.forEach(v -> byName.put(v.name(), v));
        Map<String, RackProgress> racks = new LinkedHashMap<>(r.racks());
        String state = r.state();
        int wave = r.wave();
        String reason = r.reason();

        if (q.includeNew() && (Rollout.RUNNING.equals(state) || Rollout.PAUSED.equals(state))) {
            RackSelector selector = RackSelector.parse(q.selector());
            for (RackView v : byName.values()) {
                if (!racks.containsKey(v.name()) && selector.matches(v.name(), v.labels())) {
                    racks.put(v.name(), new RackProgress(wave, RackProgress.QUEUED, 0, null, now,
                            "joined the selector while the rollout ran", false));
                }
            }
        }

        boolean sending = Rollout.RUNNING.equals(state);
        for (Map.Entry<String, RackProgress> e : racks.entrySet()) {
            String rack = e.getKey();
            RackProgress p = e.getValue();
            RackView view = byName.get(rack);
            e.setValue(switch (p.state()) {
                case RackProgress.QUEUED -> {
                    if (!sending || p.wave() > wave) {
                        yield p;
                    }
                    String holder = busy.get(rack);
                    if (holder != null) {
                        String d = "waiting: rollout " + holder + " is changing this rack";
                        yield d.equals(p.detail()) ? p : new RackProgress(p.wave(), p.state(), 0, null, p.since(), d, false);
                    }
                    yield send(rack, p, q.steps(), 0, RackProgress.DEPLOYING, sender, now);
                }
                case RackProgress.DEPLOYING, RackProgress.ROLLING_BACK -> step(rack, p, view, q, commands, sender, now,
                        sending || RackProgress.ROLLING_BACK.equals(p.state()));
                case RackProgress.SOAKING -> soak(p, view, q, now);
                default -> p;
            });
        }

        long failures = racks.values().stream().filter(RackProgress::failure).count();
        if ((Rollout.RUNNING.equals(state) || Rollout.PAUSED.equals(state)) && failures > q.maxFailures()) {
            String first = racks.entrySet().stream().filter(e -> e.getValue().failure()).findFirst()
                    .map(e -> "; " + e.getKey() + ": " + e.getValue().detail()).orElse("");
            if (Rollout.ROLLBACK.equals(q.onFailure())) {
                state = Rollout.ROLLING_BACK;
                reason = failures + " rack(s) failed (at most " + q.maxFailures() + " allowed): rolling back the racks already changed"
                        + first;
                for (Map.Entry<String, RackProgress> e : racks.entrySet()) {
                    RackProgress p = e.getValue();
                    if (p.changed() && !RackProgress.ROLLED_BACK.equals(p.state()) && !RackProgress.ROLLING_BACK.equals(p.state())) {
                        String cause = "rolling back (" + p.state() + ": " + p.detail() + ")";
                        RackProgress back = send(e.getKey(), new RackProgress(p.wave(), RackProgress.ROLLING_BACK, 0, null, now,
                                cause, true), q.rollbackSteps(), 0, RackProgress.ROLLING_BACK, sender, now);
                        // The first step's detail keeps why the rack is rolled back, for the per-rack view.
                        e.setValue(new RackProgress(back.wave(), back.state(), back.step(), back.command(), back.since(),
                                cause + ": " + back.detail(), back.changed()));
                    } else if (RackProgress.QUEUED.equals(p.state()) || (!p.changed() && !p.finished())) {
                        e.setValue(new RackProgress(p.wave(), RackProgress.SKIPPED, p.step(), p.command(), now,
                                "not changed: the rollout rolled back" + (p.command() == null ? "" : " (command " + p.command()
                                        + " may still run on the rack)"), false));
                    }
                }
            } else if (Rollout.RUNNING.equals(state)) {
                state = Rollout.PAUSED;
                reason = failures + " rack(s) failed (at most " + q.maxFailures() + " allowed): paused; resume accepts these failures"
                        + first;
            }
        }

        if (Rollout.RUNNING.equals(state)) {
            final int open = wave;
            boolean waveFinished = racks.values().stream().filter(p -> p.wave() <= open).allMatch(RackProgress::finished);
            if (waveFinished && wave + 1 < r.waveTargets().size()) {
                wave++;
                reason = "wave " + (open + 1) + " passed its gate; wave " + (wave + 1) + " of " + r.waveTargets().size() + " open";
            } else if (waveFinished && racks.values().stream().allMatch(RackProgress::finished)) {
                state = Rollout.DONE;
                reason = racks.values().stream().filter(p -> RackProgress.DONE.equals(p.state())).count() + " rack(s) done, "
                        + failures + " failed";
            }
        } else if (Rollout.ROLLING_BACK.equals(state) && racks.values().stream().allMatch(RackProgress::finished)) {
            state = Rollout.ROLLED_BACK;
            reason = "rolled back: " + racks.values().stream().filter(p -> RackProgress.ROLLED_BACK.equals(p.state())).count()
                    + " rack(s) restored, " + failures + " failed";
        }

        Rollout next = new Rollout(r.id(), q, state, wave, r.waveTargets(), racks, r.createdAt(), now, reason);
        return next.equals(new Rollout(r.id(), q, r.state(), r.wave(), r.waveTargets(), r.racks(), r.createdAt(), now, r.reason()))
                ? r : next;
    }

    /** Withdraws a rack's queued command. */
    @FunctionalInterface
    interface Canceller {
        /** @return true when the rack will never get the command (withdrawn now or before); false when it took it or answered */
        boolean cancel(String rack, String command) throws IOException;
    }

    /** Pauses, resumes or aborts without withdrawing anything. */
    static Rollout control(Rollout r, String action, long now) {
        try {
            return control(r, action, now, (rack, command) -> false);
        } catch (IOException e) {
            throw new IllegalStateException(e); // cannot happen: that canceller does no I/O
        }
    }

    /**
     * Pauses, resumes or aborts. A pause withdraws the step each deploying rack has not taken yet
     * (sent again on resume); an abort withdraws every such step. A step the rack already took
     * runs to its end: its result is recorded.
     */
    static Rollout control(Rollout r, String action, long now, Canceller canceller) throws IOException {
        if (Rollout.ROLLBACK.equals(action)) {
            return rollback(r, now, canceller);
        }
        if (r.finished()) {
            throw new IllegalStateException("rollout " + r.id() + " has ended (" + r.state() + ")");
        }
        RolloutRequest q = r.request();
        return switch (action) {
            case "pause" -> {
                Map<String, RackProgress> racks = new LinkedHashMap<>();
                int withdrawn = 0;
                for (Map.Entry<String, RackProgress> e : r.racks().entrySet()) {
                    RackProgress p = e.getValue();
                    if (RackProgress.DEPLOYING.equals(p.state()) && p.command() != null && canceller.cancel(e.getKey(), p.command())) {
                        p = new RackProgress(p.wave(), p.state(), p.step(), null, now, "paused: command " + p.command()
                                + " withdrawn before the rack took it; sent again on resume", p.changed());
                        withdrawn++;
                    }
                    racks.put(e.getKey(), p);
                }
                yield new Rollout(r.id(), q, Rollout.PAUSED, r.wave(), r.waveTargets(), racks, r.createdAt(), now,
                        "paused by the operator" + (withdrawn == 0 ? "" : "; " + withdrawn + " queued command(s) withdrawn"));
            }
            case "resume" -> {
                if (!Rollout.PAUSED.equals(r.state())) {
                    throw new IllegalStateException("rollout " + r.id() + " is " + r.state() + ", not paused");
                }
                long failures = r.racks().values().stream().filter(RackProgress::failure).count();
                RolloutRequest accepted = q.with(q.rollbackSteps(), (int) Math.max(q.maxFailures(), failures));
                yield new Rollout(r.id(), accepted, Rollout.RUNNING, r.wave(), r.waveTargets(), r.racks(), r.createdAt(), now,
                        "resumed by the operator");
            }
            case "abort" -> {
                Map<String, RackProgress> racks = new LinkedHashMap<>();
                for (Map.Entry<String, RackProgress> e : r.racks().entrySet()) {
                    RackProgress p = e.getValue();
                    String c = p.command();
                    String why = p.finished() ? null : c == null ? "aborted"
                            : RackProgress.SOAKING.equals(p.state()) ? "aborted while soaking"
                            : canceller.cancel(e.getKey(), c) ? "aborted; command " + c + " withdrawn before the rack took it"
                            : "aborted (command " + c + " may still run on the rack)";
                    racks.put(e.getKey(), why == null ? p : new RackProgress(p.wave(), RackProgress.SKIPPED, p.step(), c, now, why,
                            p.changed()));
                }
                yield new Rollout(r.id(), q, Rollout.ABORTED, r.wave(), r.waveTargets(), racks, r.createdAt(), now,
                        "aborted by the operator");
            }
            default -> throw new IllegalArgumentException("action '" + action + "' must be pause, resume, abort or rollback");
        };
    }

    /**
     * The operator's rollback, from any state but rolling back or rolled back (also after the
     * rollout is done): every rack the rollout changed gets the rollback steps (its step in flight
     * withdrawn first when the rack has not taken it), racks it did not change and that have not
     * finished are skipped (their queued step withdrawn), and the rollout is rolling back until
     * each changed rack has finished its rollback. The steps are sent by the next ticks, as for a
     * rollback after failures. Without rollback steps of its own the rollout uses the restore the
     * racks can do by themselves ({@link #restoreSteps}: the patch's snapshot, then the bundles kept).
     *
     * @throws IllegalStateException when the rollout is rolling back or rolled back
     */
    static Rollout rollback(Rollout r, long now, Canceller canceller) throws IOException {
        if (Rollout.ROLLING_BACK.equals(r.state()) || Rollout.ROLLED_BACK.equals(r.state())) {
            throw new IllegalStateException("rollout " + r.id() + " is " + r.state() + " already");
        }
        RolloutRequest q = r.request();
        if (q.rollbackSteps().isEmpty()) {
            q = q.with(restoreSteps(q.steps()), q.maxFailures());
        }
        Map<String, RackProgress> racks = new LinkedHashMap<>();
        int back = 0;
        for (Map.Entry<String, RackProgress> e : r.racks().entrySet()) {
            RackProgress p = e.getValue();
            String c = p.command();
            boolean inFlight = c != null && RackProgress.DEPLOYING.equals(p.state());
            String withdrawn = !inFlight ? "" : canceller.cancel(e.getKey(), c) ? "; command " + c + " withdrawn before the rack took it"
                    : " (command " + c + " may still run on the rack)";
            if (p.changed() && !q.rollbackSteps().isEmpty()) {
                racks.put(e.getKey(), new RackProgress(p.wave(), RackProgress.ROLLING_BACK, 0, null, now,
                        "rolling back by the operator (" + p.state() + ": " + p.detail() + ")" + withdrawn, true));
                back++;
            } else if (!p.finished()) {
                racks.put(e.getKey(), new RackProgress(p.wave(), RackProgress.SKIPPED, p.step(), c, now,
                        "not changed: the operator rolled the rollout back" + withdrawn, p.changed()));
            } else {
                racks.put(e.getKey(), p);
            }
        }
        return new Rollout(r.id(), q, Rollout.ROLLING_BACK, r.wave(), r.waveTargets(), racks, r.createdAt(), now,
                "rollback by the operator: " + back + " changed rack(s) rolling back");
    }

    private static RackProgress step(String rack, RackProgress p, RackView view, RolloutRequest q,
            java.util.function.Function<String, CommandView> commands, Sender sender, long now, boolean mayStart) {
        boolean back = RackProgress.ROLLING_BACK.equals(p.state());
        List<RolloutStep> steps = back ? q.rollbackSteps() : q.steps();
        if (p.command() == null) {
            if (mayStart && now - p.since() > q.deadlineMillis()) {
                return new RackProgress(p.wave(), RackProgress.TIMED_OUT, p.step(), null, now, "could not be queued within "
                        + q.deadlineMillis() / 1000 + " s: " + p.detail(), p.changed());
            }
            return mayStart ? send(rack, p, steps, p.step(), p.state(), sender, now) : p;
        }
        RolloutStep s = steps.get(p.step());
        CommandView c = commands.apply(p.command());
        String what = s.type() + " " + s.name();
        if (c == null || "pending".equals(c.state())) {
            if (now - p.since() > q.deadlineMillis()) {
                return new RackProgress(p.wave(), RackProgress.TIMED_OUT, p.step(), p.command(), now, what + ": no result within "
                        + q.deadlineMillis() / 1000 + " s" + (view != null && !view.online() ? " (the rack is offline)" : "")
                        + "; command " + p.command() + " stays queued", p.changed());
            }
            return p;
        }
        if ("cancelled".equals(c.state())) {
            return new RackProgress(p.wave(), RackProgress.FAILED, p.step(), p.command(), now, (back ? "rollback " : "") + what
                    + ": command " + p.command() + " was cancelled before the rack took it (" + c.detail() + ")", p.changed());
        }
        boolean changed = p.changed() || !CommandType.PREFLIGHT_BUNDLE.wire().equals(s.type());
        if (!"done".equals(c.state())) {
            // A failed step changed nothing itself (the rack undoes a bundle that does not start); earlier steps may have.
            return new RackProgress(p.wave(), RackProgress.FAILED, p.step(), p.command(), now, (back ? "rollback " : "") + what + ": "
                    + c.state() + ": " + c.detail(), p.changed());
        }
        if (p.step() + 1 < steps.size()) {
            RackProgress done = new RackProgress(p.wave(), p.state(), p.step() + 1, null, now, what + ": done", changed);
            return mayStart ? send(rack, done, steps, p.step() + 1, p.state(), sender, now) : done;
        }
        if (back) {
            return new RackProgress(p.wave(), RackProgress.ROLLED_BACK, p.step(), p.command(), now, "restored: " + what + ": done", true);
        }
        return new RackProgress(p.wave(), RackProgress.SOAKING, p.step(), p.command(), now, "changed; soaking "
                + q.soakMillis() / 1000 + " s", changed);
    }

    private static RackProgress soak(RackProgress p, RackView view, RolloutRequest q, long now) {
        if (view == null) {
            return fail(p, now, "health: the rack left the registry (revoked?) during the soak");
        }
        if (!view.online()) {
            return fail(p, now, "health: the rack went offline during the soak");
        }
        if (view.healthProblem() != null) {
            return fail(p, now, "health: " + view.healthProblem());
        }
        String traffic = view.lastSeen() > p.since() ? RolloutHealth.problem(q, view.summary(), view.gearBundles()) : null;
        if (traffic != null) {
            return fail(p, now, traffic);
        }
        if (now - p.since() >= q.soakMillis() && view.lastSeen() > p.since() && view.notReady() == null) {
            return new RackProgress(p.wave(), RackProgress.DONE, p.step(), p.command(), now, "healthy for the soak period", p.changed());
        }
        if (now - p.since() > q.soakMillis() + q.deadlineMillis()) {
            return new RackProgress(p.wave(), RackProgress.TIMED_OUT, p.step(), p.command(), now, view.lastSeen() > p.since()
                    && view.notReady() != null ? "health: " + view.notReady() + " at the deadline"
                    : "no heartbeat after the change within the deadline", p.changed());
        }
        return p;
    }

    private static RackProgress fail(RackProgress p, long now, String why) {
        return new RackProgress(p.wave(), RackProgress.FAILED, p.step(), p.command(), now, why, p.changed());
    }

    private static RackProgress send(String rack, RackProgress p, List<RolloutStep> steps, int index, String state, Sender sender,
            long now) {
        RolloutStep s = steps.get(index);
        try {
            String id = sender.send(rack, s);
            return new RackProgress(p.wave(), state, index, id, now, "sent " + s.type() + " " + s.name() + " (step " + (index + 1)
                    + " of " + steps.size() + ")", p.changed());
        } catch (IOException e) {
            // Not sent: tried again on the next tick; the deadline still counts from the state's start.
            return new RackProgress(p.wave(), state, index, null, p.since(), "could not queue " + s.type() + " " + s.name() + ": "
                    + e.getMessage() + " (retrying)", p.changed());
        }
    }

    /** @return the racks the given unfinished rollouts are changing now (deploying, soaking, rolling back) */
    static Map<String, String> busy(List<Rollout> rollouts, String except) {
        Map<String, String> out = new LinkedHashMap<>();
        Set<String> active = Set.of(RackProgress.DEPLOYING, RackProgress.SOAKING, RackProgress.ROLLING_BACK);
        for (Rollout r : rollouts) {
            if (r.finished() || r.id().equals(except)) {
                continue;
            }
            r.racks().forEach((rack, p) -> {
                if (active.contains(p.state())) {
                    out.putIfAbsent(rack, r.id());
                }
            });
        }
        return out;
    }
}
