package io.fluxrig.mixer.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fluxrig.mixer.rollout.RolloutEngine.CommandView;
import io.fluxrig.mixer.rollout.RolloutEngine.RackView;
import io.fluxrig.snake.api.rollout.Rollout;
import io.fluxrig.snake.api.rollout.Rollout.RackProgress;
import io.fluxrig.snake.api.rollout.RolloutRequest;
import io.fluxrig.snake.api.rollout.RolloutStep;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An operator's rollback of a rollout that ended done, and of one whose second wave never started: pure logic. */
class RollbackActionTest {
    private static final String D0 = "sha256:" + "0".repeat(64);
    private static final String D1 = "sha256:" + "1".repeat(64);
    private static final List<RolloutStep> STEPS = List.of(new RolloutStep("preflight-bundle", D1, "gear.json.jar", "{signed}"),
            new RolloutStep("install-bundle", D1, "gear.json.jar", "{signed}"), new RolloutStep("apply-patch", D0, "flow.yaml", "{signed}"));

    private final Map<String, CommandView> results = new HashMap<>();
    private final List<String> sent = new ArrayList<>(); // rack:type, index = command id
    private long now = 1_000_000;

    private List<RackView> fleet() {
        return List.of(new RackView("core-a", Map.of("role", "core"), true, now, null),
                new RackView("core-b", Map.of("role", "core"), true, now, null));
    }

    private Rollout advance(Rollout r) {
        Rollout next = RolloutEngine.advance(r, fleet(), id -> results.get(id), Map.of(), (rack, step) -> {
            sent.add(rack + ":" + step.type());
            return Integer.toString(sent.size() - 1);
        }, now);
        for (int i = 0; i < sent.size(); i++) {
            results.putIfAbsent(Integer.toString(i), new CommandView("done", sent.get(i) + " done"));
        }
        now += 1000;
        return next;
    }

    @Test
    void aDoneRolloutIsRolledBackOnEveryRackItChangedPatchFirst() throws Exception {
        Rollout r = RolloutEngine.create("r1", new RolloutRequest("role=core", List.of("1", "100%"), STEPS, List.of(), 0, 0, "pause",
                30_000, false), fleet(), now);
        for (int i = 0; i < 20 && !r.finished(); i++) {
            r = advance(r);
        }
        assertEquals(Rollout.DONE, r.state(), r.reason());
        int before = sent.size();

        Rollout back = RollbackAction.start(r, now, (rack, command) -> true);
        assertEquals(Rollout.ROLLING_BACK, back.state(), back.reason());
        assertEquals("rollback by the operator: restoring 2 rack(s)", back.reason());
        assertEquals(List.of(new RolloutStep("restore-patch", D0, "flow.yaml", null), new RolloutStep("restore-bundle", D1,
                "gear.json.jar", null)), back.request().rollbackSteps(), "made by the Mixer: the rollout had none (on failure: pause)");
        for (int i = 0; i < 20 && !back.finished(); i++) {
            back = advance(back);
        }
        assertEquals(Rollout.ROLLED_BACK, back.state(), back.reason());
        List<String> restores = sent.subList(before, sent.size());
        for (String rack : List.of("core-a", "core-b")) {
            assertEquals(List.of(rack + ":restore-patch", rack + ":restore-bundle"),
                    restores.stream().filter(x -> x.startsWith(rack + ":")).toList(), "each changed rack, the patch first: " + restores);
        }
        assertEquals(4, restores.size(), restores.toString());
        assertEquals(RackProgress.ROLLED_BACK, back.racks().get("core-b").state());
        Rollout ended = back;
        assertEquals("rollout r1 is rolled-back already",
                assertThrows(IllegalStateException.class, () -> RollbackAction.start(ended, now, (rack, command) -> true)).getMessage());
    }

    @Test
    void racksTheRolloutNeverChangedAreLeftAsTheyAre() throws Exception {
        Rollout r = RolloutEngine.create("r2", new RolloutRequest("role=core", List.of("1", "100%"), STEPS, List.of(), 60_000, 0,
                "pause", 30_000, false), fleet(), now);
        for (int i = 0; i < 4; i++) {
            r = advance(r); // the canary deploys and soaks; core-b waits for wave 2
        }
        assertEquals(RackProgress.SOAKING, r.racks().get("core-a").state(), r.racks().get("core-a").detail());
        assertEquals(RackProgress.QUEUED, r.racks().get("core-b").state());
        Rollout back = RollbackAction.start(r, now, (rack, command) -> true);
        assertEquals(RackProgress.ROLLING_BACK, back.racks().get("core-a").state());
        assertEquals(RackProgress.SKIPPED, back.racks().get("core-b").state());
        assertEquals("not changed: the rollout is rolled back by the operator", back.racks().get("core-b").detail());
    }
}
