package io.fluxrig.mixer.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.mixer.rollout.RolloutEngine.CommandView;
import io.fluxrig.mixer.rollout.RolloutEngine.RackView;
import io.fluxrig.snake.api.RackSummary;
import io.fluxrig.snake.api.rollout.Rollout;
import io.fluxrig.snake.api.rollout.Rollout.RackProgress;
import io.fluxrig.snake.api.rollout.RolloutRequest;
import io.fluxrig.snake.api.rollout.RolloutStep;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The wave state machine as pure logic: a fake fleet (registry views), a fake command store and a
 * recording sender stand in for the Mixer; time is a number the test moves.
 */
class RolloutEngineTest {
    private static final String D1 = "sha256:" + "11".repeat(32);
    private static final String D0 = "sha256:" + "00".repeat(32);
    private static final List<RolloutStep> STEPS = List.of(new RolloutStep("preflight-bundle", D1, "gear.json.jar", null),
            new RolloutStep("install-bundle", D1, "gear.json.jar", null));
    private static final List<RolloutStep> BACK = List.of(new RolloutStep("install-bundle", D0, "gear.json-old.jar", "{signed}"));

    private final Map<String, RackView> fleet = new LinkedHashMap<>();
    private final Map<String, CommandView> results = new HashMap<>();
    private final List<String[]> sent = new ArrayList<>(); // {rack, type, name, id}
    private long now = 1_000_000;

    private void rack(String name, String role) {
        fleet.put(name, new RackView(name, Map.of("role", role), true, now, null));
    }

    private Rollout advance(Rollout r) {
        return advance(r, Map.of());
    }

    private Rollout advance(Rollout r, Map<String, String> busy) {
        return RolloutEngine.advance(r, List.copyOf(fleet.values()), results::get, busy, (rack, step) -> {
            String id = "c" + sent.size();
            sent.add(new String[] {rack, step.type(), step.name(), id});
            return id;
        }, now);
    }

    /** Completes every command sent so far that has no result yet, and has each rack heartbeat. */
    private void racksAnswer(String state) {
        for (String[] s : sent) {
            results.putIfAbsent(s[3], new CommandView(state, s[1] + " " + state));
        }
        heartbeat();
    }

    private void heartbeat() {
        now += 1000;
        fleet.replaceAll((k, v) -> new RackView(k, v.labels(), v.online(), now, v.healthProblem(), v.notReady()));
    }

    private List<String> sentTo() {
        return sent.stream().map(s -> s[0] + ":" + s[1]).toList();
    }

    private static RolloutRequest request(String selector, List<String> waves, int maxFailures, String onFailure,
            List<RolloutStep> back, boolean includeNew) {
        return new RolloutRequest(selector, waves, STEPS, back, 2000, maxFailures, onFailure, 30_000, includeNew);
    }

    @Test
    void aCanaryWaveThenTheRestAndEachRackSoaksBeforeTheGateOpens() {
        rack("core-a", "core");
        rack("core-b", "core");
        rack("core-c", "core");
        rack("edge-a", "edge");
        Rollout r = RolloutEngine.create("r1", request("role=core", List.of("1", "100%"), 0, "pause", List.of(), false),
                List.copyOf(fleet.values()), now);
        assertEquals(List.of(1, 3), r.waveTargets());
        assertEquals(List.of("core-a", "core-b", "core-c"), List.copyOf(r.racks().keySet()), "edge is not selected");

        r = advance(r);
        assertEquals(List.of("core-a:preflight-bundle"), sentTo(), "only the canary, pre-flight first");
        racksAnswer("done");
        r = advance(r);
        assertEquals(List.of("core-a:preflight-bundle", "core-a:install-bundle"), sentTo());
        racksAnswer("done");
        r = advance(r);
        assertEquals(RackProgress.SOAKING, r.racks().get("core-a").state());
        r = advance(r);
        assertEquals(2, sent.size(), "the second wave waits for the canary's soak");
        now += 2000;
        heartbeat();
        r = advance(r);
        assertEquals(RackProgress.DONE, r.racks().get("core-a").state());
        assertEquals(1, r.wave(), "canary passed: wave 2 open");
        r = advance(r);
        assertEquals(List.of("core-a:preflight-bundle", "core-a:install-bundle", "core-b:preflight-bundle", "core-c:preflight-bundle"),
                sentTo());
        for (int i = 0; i < 3; i++) {
            racksAnswer("done");
            r = advance(r);
        }
        now += 3000;
        heartbeat();
        r = advance(r);
        assertEquals(Rollout.DONE, r.state(), r.reason());
        assertEquals("3 rack(s) done, 0 failed", r.reason());
        assertTrue(r.racks().values().stream().allMatch(p -> RackProgress.DONE.equals(p.state())));
    }

    @Test
    void aGearStillWaitingForItsServiceHoldsTheSoakWithoutFailingItUntilTheDeadline() {
        rack("core-a", "core");
        rack("core-b", "core");
        Rollout r = RolloutEngine.create("r9", request("all", List.of("100%"), 0, "pause", List.of(), false),
                List.copyOf(fleet.values()), now);
        for (int i = 0; i < 2; i++) {
            r = advance(r);
            racksAnswer("done");
        }
        r = advance(r);
        assertEquals(RackProgress.SOAKING, r.racks().get("core-a").state());
        // Right after the change core-a's gear has no service yet: the soak waits; core-b's is up.
        fleet.put("core-a", new RackView("core-a", Map.of("role", "core"), true, now, null, "gear issuer is waiting for its service"));
        now += 3000;
        heartbeat();
        r = advance(r);
        assertEquals(RackProgress.SOAKING, r.racks().get("core-a").state(), "not failed, not done: " + r.racks().get("core-a"));
        assertEquals(RackProgress.DONE, r.racks().get("core-b").state());
        fleet.put("core-a", new RackView("core-a", Map.of("role", "core"), true, now, null, null));
        heartbeat();
        r = advance(r);
        assertEquals(RackProgress.DONE, r.racks().get("core-a").state(), r.racks().get("core-a").detail());
        assertEquals(Rollout.DONE, r.state(), r.reason());

        // A gear that never gets its service times out at the progress deadline, saying which.
        Rollout again = RolloutEngine.create("r10", request("core-a", List.of("100%"), 0, "pause", List.of(), false),
                List.copyOf(fleet.values()), now);
        for (int i = 0; i < 2; i++) {
            again = advance(again);
            racksAnswer("done");
        }
        again = advance(again);
        fleet.put("core-a", new RackView("core-a", Map.of("role", "core"), true, now, null, "gear issuer is waiting for its service"));
        now += 2000 + 30_000 + 1;
        heartbeat();
        again = advance(again);
        assertEquals(RackProgress.TIMED_OUT, again.racks().get("core-a").state());
        assertEquals("health: gear issuer is waiting for its service at the deadline", again.racks().get("core-a").detail());
    }

    @Test
    void aCanaryThatFailsItsHealthGateIsRolledBackAndTheOthersNeverGetTheChange() {
        rack("core-a", "core");
        rack("core-b", "core");
        Rollout r = RolloutEngine.create("r2", request("role=core", List.of("1", "100%"), 0, "rollback", BACK, false),
                List.copyOf(fleet.values()), now);
        r = advance(r);
        racksAnswer("done");
        r = advance(r);
        racksAnswer("done");
        r = advance(r);
        assertEquals(RackProgress.SOAKING, r.racks().get("core-a").state());
        fleet.put("core-a", new RackView("core-a", Map.of("role", "core"), true, now, "gear json-in is failed"));
        r = advance(r);
        assertEquals(Rollout.ROLLING_BACK, r.state(), r.reason());
        assertEquals("core-a:install-bundle", sentTo().get(sentTo().size() - 1), "the previous release goes back");
        assertEquals("gear.json-old.jar", sent.get(sent.size() - 1)[2]);
        assertEquals(RackProgress.SKIPPED, r.racks().get("core-b").state());
        racksAnswer("done");
        r = advance(r);
        assertEquals(Rollout.ROLLED_BACK, r.state(), r.reason());
        assertEquals(RackProgress.ROLLED_BACK, r.racks().get("core-a").state());
        assertTrue(sent.stream().noneMatch(s -> s[0].equals("core-b")), "core-b never got anything");
    }

    @Test
    void aCanaryWhoseTrafficExceedsTheLimitsDuringTheSoakFailsWithTheReasonAndIsRolledBack() {
        rack("core-a", "core");
        rack("core-b", "core");
        RolloutRequest q = new RolloutRequest("role=core", List.of("1", "100%"), STEPS, BACK, 2000, 0, "rollback", 30_000, false,
                0.1, 200.0);
        Rollout r = RolloutEngine.create("r2h", q, List.copyOf(fleet.values()), now);
        r = advance(r);
        racksAnswer("done");
        r = advance(r);
        racksAnswer("done");
        r = advance(r);
        assertEquals(RackProgress.SOAKING, r.racks().get("core-a").state());
        long since = r.racks().get("core-a").since();
        // A summary from before the change is not the change's: the soak goes on.
        fleet.put("core-a", new RackView("core-a", Map.of("role", "core"), true, since, null, null,
                new RackSummary(5000, 100, 100, 0.9, 5000.0, null), Map.of()));
        r = advance(r);
        assertEquals(RackProgress.SOAKING, r.racks().get("core-a").state(), r.racks().get("core-a").detail());
        now += 1000;
        fleet.put("core-a", new RackView("core-a", Map.of("role", "core"), true, now, null, null,
                new RackSummary(5000, 100, 100, 0.01, 350.0, null), Map.of()));
        r = advance(r);
        assertEquals(Rollout.ROLLING_BACK, r.state(), r.reason());
        assertEquals(RackProgress.ROLLING_BACK, r.racks().get("core-a").state(), "the failed canary is rolled back");
        assertEquals("rolling back (failed: health: p99 processing time 350.0 ms of the rack (at most 200.0 ms allowed)): "
                + "sent install-bundle gear.json-old.jar (step 1 of 1)", r.racks().get("core-a").detail());
        assertTrue(r.reason().endsWith("; core-a: health: p99 processing time 350.0 ms of the rack (at most 200.0 ms allowed)"),
                r.reason());
        assertEquals(RackProgress.SKIPPED, r.racks().get("core-b").state());
        assertTrue(sent.stream().noneMatch(s -> s[0].equals("core-b")), "core-b never got anything");
    }

    @Test
    void aRackWithinTheLimitsPassesItsSoakAndTheLimitsAreChecked() {
        rack("a", "x");
        Rollout r = RolloutEngine.create("r2p", request("all", List.of("100%"), 0, "pause", List.of(), false),
                List.copyOf(fleet.values()), now);
        r = advance(r);
        racksAnswer("done");
        r = advance(r);
        racksAnswer("done");
        r = advance(r);
        now += 3000;
        fleet.put("a", new RackView("a", Map.of("role", "x"), true, now, null, null,
                new RackSummary(5000, 100, 100, 0.2, 800.0, null), Map.of()));
        r = advance(r);
        assertEquals(RackProgress.DONE, r.racks().get("a").state(), "under the default limits (25 %, 1000 ms): "
                + r.racks().get("a").detail());
        List<RackView> f = List.copyOf(fleet.values());
        assertEquals("maxErrorRate: 1.5 must be a fraction from 0 to 1", assertThrows(IllegalArgumentException.class,
                () -> RolloutEngine.create("x", new RolloutRequest("all", List.of("1"), STEPS, List.of(), 0, 0, "pause", 30_000, false,
                        1.5, null), f, now)).getMessage());
        assertEquals("maxP99Millis: 0.0 must be more than 0", assertThrows(IllegalArgumentException.class,
                () -> RolloutEngine.create("x", new RolloutRequest("all", List.of("1"), STEPS, List.of(), 0, 0, "pause", 30_000, false,
                        null, 0.0), f, now)).getMessage());
    }

    @Test
    void aRefusedStepFailsTheRackAndPausesTheRolloutUntilResumedAcceptingThatFailure() {
        rack("a", "x");
        rack("b", "x");
        rack("c", "x");
        Rollout r = RolloutEngine.create("r3", request("all", List.of("2", "100%"), 0, "pause", List.of(), false),
                List.copyOf(fleet.values()), now);
        r = advance(r);
        results.put("c0", new CommandView("refused", "preflight: would not resolve"));
        results.put("c1", new CommandView("done", "ok"));
        r = advance(r);
        assertEquals(Rollout.PAUSED, r.state());
        assertTrue(r.racks().get("a").detail().contains("refused: preflight: would not resolve"), r.racks().get("a").detail());
        int before = sent.size();
        r = advance(r);
        assertEquals(before, sent.size(), "a paused rollout sends nothing new");
        r = RolloutEngine.control(r, "resume", now);
        assertEquals(1, r.request().maxFailures());
        r = advance(r);
        assertEquals(Rollout.RUNNING, r.state(), r.reason());
        assertEquals("b:install-bundle", sentTo().get(sentTo().size() - 1));
    }

    @Test
    void aStuckRackTimesOutAndNeverBlocksAnotherRolloutForLong() {
        rack("a", "x");
        rack("b", "x");
        Rollout first = RolloutEngine.create("r4", request("all", List.of("100%"), 1, "pause", List.of(), false),
                List.copyOf(fleet.values()), now);
        first = advance(first);
        results.put("c1", new CommandView("done", "ok")); // b answers, a never does
        fleet.put("a", new RackView("a", Map.of(), false, now, null));
        Rollout second = RolloutEngine.create("r5", request("a", List.of("1"), 0, "pause", List.of(), false),
                List.copyOf(fleet.values()), now);
        second = advance(second, RolloutEngine.busy(List.of(first), "r5"));
        assertEquals("waiting: rollout r4 is changing this rack", second.racks().get("a").detail());
        now += 31_000;
        first = advance(first);
        assertEquals(RackProgress.TIMED_OUT, first.racks().get("a").state());
        assertTrue(first.racks().get("a").detail().contains("no result within 30 s (the rack is offline); command c0 stays queued"),
                first.racks().get("a").detail());
        second = advance(second, RolloutEngine.busy(List.of(first), "r5"));
        assertEquals(RackProgress.DEPLOYING, second.racks().get("a").state(), "the timed-out rack is free for the next rollout");
    }

    @Test
    void aRackThatJoinsTheSelectorWhileTheRolloutRunsIsIncluded() {
        rack("core-a", "core");
        Rollout r = RolloutEngine.create("r6", request("role=core", List.of("100%"), 0, "pause", List.of(), true),
                List.copyOf(fleet.values()), now);
        r = advance(r);
        rack("core-z", "core");
        rack("edge-z", "edge");
        r = advance(r);
        assertEquals(RackProgress.DEPLOYING, r.racks().get("core-z").state(), "picked up and started in the same tick");
        assertTrue(sentTo().contains("core-z:preflight-bundle"), sentTo().toString());
        assertTrue(!r.racks().containsKey("edge-z"), "a rack outside the selector is not");
    }

    @Test
    void abortEndsEverythingAndRequestsAreCheckedNamingTheField() {
        rack("a", "x");
        Rollout r = RolloutEngine.create("r7", request("all", List.of("100%"), 0, "pause", List.of(), false),
                List.copyOf(fleet.values()), now);
        r = advance(r);
        r = RolloutEngine.control(r, "abort", now);
        assertEquals(Rollout.ABORTED, r.state());
        assertEquals("aborted (command c0 may still run on the rack)", r.racks().get("a").detail());
        assertTrue(r.finished());
        Rollout ended = r;
        assertThrows(IllegalStateException.class, () -> RolloutEngine.control(ended, "resume", now));

        List<RackView> f = List.copyOf(fleet.values());
        assertEquals("selector: 'role=nope' matches no registered rack", assertThrows(IllegalArgumentException.class,
                () -> RolloutEngine.create("x", request("role=nope", List.of("1"), 0, "pause", List.of(), false), f, now)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> RolloutEngine.create("x", request("all", List.of("0"), 0, "pause", List.of(), false), f, now))
                .getMessage().startsWith("waves[0]: '0' must be a count"));
        RolloutRequest restoring = new RolloutRequest("all", List.of("1"), List.of(new RolloutStep("restore-patch", D1, "p.yaml", null)),
                List.of(), 0, 0, "rollback", 30_000, false);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RolloutEngine.create("x", restoring, f, now))
                .getMessage().startsWith("steps: 'restore-patch' must be preflight-bundle, install-bundle or apply-patch"));
        assertEquals(List.of(1, 3, 10), WavePlan.targets(List.of("1", "25%", "100%"), 10));
        assertEquals(List.of(2, 2), WavePlan.targets(List.of("5", "50%"), 2));
    }

    @Test
    void withoutRollbackStepsAFailedCanaryRestoresWhatTheRackKeptLastInstallFirst() {
        rack("core-a", "core");
        rack("core-b", "core");
        RolloutStep other = new RolloutStep("install-bundle", D0, "gear.iso.jar", null);
        List<RolloutStep> steps = List.of(STEPS.get(0), STEPS.get(1), other);
        Rollout r = RolloutEngine.create("r8", new RolloutRequest("role=core", List.of("1", "100%"), steps, List.of(), 0, 0,
                "rollback", 30_000, false), List.copyOf(fleet.values()), now);
        assertEquals(List.of(new RolloutStep("restore-bundle", D0, "gear.iso.jar", null),
                new RolloutStep("restore-bundle", D1, "gear.json.jar", null)), r.request().rollbackSteps(),
                "every install undone, the last first, with the copy each rack kept");
        r = canaryFailsInItsSoakAndTwoStepsRollItBack(r, "gear json-in is failed");
        assertEquals(List.of("core-a:preflight-bundle", "core-a:install-bundle", "core-a:install-bundle", "core-a:restore-bundle",
                "core-a:restore-bundle"), sentTo());
        assertEquals("gear.json.jar", sent.get(4)[2]);
    }

    /**
     * The canary core-a takes the rollout's three steps, soaks, reports a failed gear, and the
     * rollout rolls it back with two steps that core-a carries out.
     *
     * @param failure the gear state core-a's heartbeat reports during the soak
     * @return the rollout, rolled back
     */
    private Rollout canaryFailsInItsSoakAndTwoStepsRollItBack(Rollout r, String failure) {
        for (int i = 0; i < 3; i++) {
            r = advance(r);
            racksAnswer("done");
        }
        r = advance(r);
        assertEquals(RackProgress.SOAKING, r.racks().get("core-a").state(), r.racks().get("core-a").detail());
        fleet.put("core-a", new RackView("core-a", Map.of("role", "core"), true, now, failure));
        r = advance(r);
        assertEquals(Rollout.ROLLING_BACK, r.state(), r.reason());
        for (int i = 0; i < 2; i++) {
            racksAnswer("done");
            r = advance(r);
        }
        assertEquals(Rollout.ROLLED_BACK, r.state(), r.reason());
        return r;
    }

    @Test
    void aRolledBackPatchIsRestoredFromTheRacksSnapshotBeforeTheBundlesItNeeds() {
        rack("core-a", "core");
        RolloutStep patch = new RolloutStep("apply-patch", D0, "flow.yaml", null);
        List<RolloutStep> steps = List.of(STEPS.get(0), STEPS.get(1), patch);
        Rollout r = RolloutEngine.create("r10", new RolloutRequest("role=core", List.of("100%"), steps, List.of(), 0, 0,
                "rollback", 30_000, false), List.copyOf(fleet.values()), now);
        assertEquals(List.of(new RolloutStep("restore-patch", D0, "flow.yaml", null),
                new RolloutStep("restore-bundle", D1, "gear.json.jar", null)), r.request().rollbackSteps(),
                "the patch undone first, then the bundle its gears ran on");
        r = canaryFailsInItsSoakAndTwoStepsRollItBack(r, "gear flow-in is failed");
        assertEquals(List.of("core-a:preflight-bundle", "core-a:install-bundle", "core-a:apply-patch", "core-a:restore-patch",
                "core-a:restore-bundle"), sentTo());
        assertEquals("flow.yaml", sent.get(3)[2]);
    }

    @Test
    void pauseWithdrawsStepsNotTakenYetAndResumeSendsThemAgain() throws Exception {
        rack("a", "x");
        rack("b", "x");
        Rollout r = RolloutEngine.create("r9", request("all", List.of("100%"), 0, "pause", List.of(), false),
                List.copyOf(fleet.values()), now);
        r = advance(r);
        results.put("c1", new CommandView("pending", null));
        List<String> asked = new ArrayList<>();
        r = RolloutEngine.control(r, "pause", now, (rack, command) -> {
            asked.add(rack + ":" + command);
            return "a".equals(rack); // a never took c0; b took c1 already
        });
        assertEquals(List.of("a:c0", "b:c1"), asked);
        assertEquals(Rollout.PAUSED, r.state());
        assertEquals("paused by the operator; 1 queued command(s) withdrawn", r.reason());
        assertEquals(null, r.racks().get("a").command());
        assertEquals("paused: command c0 withdrawn before the rack took it; sent again on resume", r.racks().get("a").detail());
        assertEquals("c1", r.racks().get("b").command(), "a step the rack took runs to its end");
        r = advance(r);
        assertEquals(2, sent.size(), "nothing is sent while paused");
        r = RolloutEngine.control(r, "resume", now);
        r = advance(r);
        assertEquals(List.of("a:preflight-bundle", "b:preflight-bundle", "a:preflight-bundle"), sentTo());
        assertEquals("c2", r.racks().get("a").command());

        // An abort withdraws too; a command cancelled under a running rollout fails its rack.
        results.put("c2", new CommandView("cancelled", "cancelled by the operator"));
        r = advance(r);
        assertEquals(RackProgress.FAILED, r.racks().get("a").state());
        assertTrue(r.racks().get("a").detail().endsWith("command c2 was cancelled before the rack took it (cancelled by the operator)"),
                r.racks().get("a").detail());
        Rollout other = RolloutEngine.create("r10", request("b", List.of("1"), 0, "pause", List.of(), false),
                List.copyOf(fleet.values()), now);
        other = advance(other);
        other = RolloutEngine.control(other, "abort", now, (rack, command) -> true);
        assertEquals("aborted; command c3 withdrawn before the rack took it", other.racks().get("b").detail());
    }

    @Test
    void theOperatorRollsBackEveryChangedRackEvenAfterTheRolloutIsDone() throws Exception {
        rack("core-a", "core");
        rack("core-b", "core");
        rack("core-c", "core");
        Rollout r = RolloutEngine.create("r10", request("role=core", List.of("1", "2", "100%"), 0, "pause", List.of(), false),
                List.copyOf(fleet.values()), now);
        assertTrue(r.request().rollbackSteps().isEmpty(), "onFailure pause: no rollback steps planned");
        for (int i = 0; i < 3; i++) { // the canary: pre-flight, install, soak
            r = advance(r);
            racksAnswer("done");
            now += 2000;
        }
        r = advance(r);
        assertEquals(RackProgress.DONE, r.racks().get("core-a").state(), r.racks().get("core-a").detail());
        r = advance(r); // wave 2: core-b gets its pre-flight
        assertEquals(RackProgress.DEPLOYING, r.racks().get("core-b").state());
        String inFlight = r.racks().get("core-b").command();
        List<String> withdrawn = new ArrayList<>();
        Rollout back = RolloutEngine.control(r, Rollout.ROLLBACK, now, (rack, command) -> withdrawn.add(rack + ":" + command));
        assertEquals(Rollout.ROLLING_BACK, back.state());
        assertEquals(List.of("core-b:" + inFlight), withdrawn, "the step core-b had not taken is withdrawn");
        assertEquals(RackProgress.ROLLING_BACK, back.racks().get("core-a").state(), "changed: rolled back");
        assertEquals(RackProgress.SKIPPED, back.racks().get("core-b").state(), "only pre-flighted: nothing to undo");
        assertEquals(RackProgress.SKIPPED, back.racks().get("core-c").state());
        assertEquals(List.of(new RolloutStep("restore-bundle", D1, "gear.json.jar", null)), back.request().rollbackSteps(),
                "without rollback steps the racks restore what they kept");
        int before = sent.size();
        back = advance(back);
        assertEquals(List.of("core-a:restore-bundle"), sentTo().subList(before, sent.size()));
        racksAnswer("done");
        back = advance(back);
        assertEquals(Rollout.ROLLED_BACK, back.state(), back.reason());
        Rollout ended = back;
        assertTrue(assertThrows(IllegalStateException.class, () -> RolloutEngine.control(ended, Rollout.ROLLBACK, now))
                .getMessage().endsWith("is rolled-back already"));

        // Once done, too: a finished rollout's changed racks are rolled back.
        Rollout done = new Rollout("r11", r.request(), Rollout.DONE, 2, r.waveTargets(), Map.of("core-a", r.racks().get("core-a")),
                r.createdAt(), now, "1 rack(s) done, 0 failed");
        assertEquals(RackProgress.ROLLING_BACK, RolloutEngine.control(done, Rollout.ROLLBACK, now).racks().get("core-a").state());
        Rollout patched = new Rollout("r12", new RolloutRequest("all", List.of("100%"), List.of(new RolloutStep("apply-patch", D1,
                "p.yaml", null)), List.of(), 0, 0, "pause", 30_000, false), Rollout.DONE, 0, List.of(1), Map.of(), now, now, "done");
        assertEquals(List.of(new RolloutStep("restore-patch", D1, "p.yaml", null)),
                RolloutEngine.control(patched, Rollout.ROLLBACK, now).request().rollbackSteps(),
                "a patch is restored from the snapshot each rack kept");
    }
}
