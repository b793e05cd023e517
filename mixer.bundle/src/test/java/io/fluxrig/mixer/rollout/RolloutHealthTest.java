package io.fluxrig.mixer.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fluxrig.snake.api.RackSummary;
import io.fluxrig.snake.api.RackSummary.GearSummary;
import io.fluxrig.snake.api.SnakeCodec;
import io.fluxrig.snake.api.release.ReleaseStatement;
import io.fluxrig.snake.api.release.SignedRelease;
import io.fluxrig.snake.api.rollout.RolloutRequest;
import io.fluxrig.snake.api.rollout.RolloutStep;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The soak's traffic gate with summaries as racks send them. */
class RolloutHealthTest {
    private static final String D1 = "sha256:" + "11".repeat(32);
    private static final Map<String, String> GEARS = Map.of("json-in", "io.fluxrig.gear.json 1.1.0", "iso-in",
            "io.fluxrig.gear.iso8583 1.0.0", "log", "io.fluxrig.gear.basic 1.0.0");

    private static String signed(String symbolicName) {
        SignedRelease r = new SignedRelease(new ReleaseStatement(ReleaseStatement.BUNDLE, symbolicName, "1.1.0", D1, 10, 2,
                "2030-01-01T00:00:00Z", false), "key", "sig");
        return new String(SnakeCodec.json().write(r), StandardCharsets.UTF_8);
    }

    private static RolloutRequest request(List<RolloutStep> steps, Double maxErrorRate, Double maxP99) {
        return new RolloutRequest("all", List.of("100%"), steps, List.of(), 1000, 0, "pause", 30_000, false, maxErrorRate, maxP99);
    }

    private static final List<RolloutStep> UNSIGNED = List.of(new RolloutStep("preflight-bundle", D1, "gear.json.jar", null),
            new RolloutStep("install-bundle", D1, "gear.json.jar", null));
    private static final List<RolloutStep> SIGNED_JSON = List.of(new RolloutStep("install-bundle", D1, "gear.json.jar",
            signed("io.fluxrig.gear.json")));

    @Test
    void withoutTouchedGearsTheWholeRackIsJudgedAgainstTheDefaults() {
        RolloutRequest q = request(UNSIGNED, null, null);
        assertEquals(0.25, q.errorRateLimit());
        assertEquals(1000.0, q.p99Limit());
        assertNull(RolloutHealth.problem(q, null, GEARS), "no summary yet: nothing to judge");
        assertNull(RolloutHealth.problem(q, new RackSummary(5000, 100, 100, 0.25), GEARS), "at the limit passes");
        assertNull(RolloutHealth.problem(q, new RackSummary(5000, 100, 100, 0.01), GEARS), "a rack that predates p99");
        assertEquals("health: error rate 30.00 % of the rack over 5 s (at most 25.00 % allowed)",
                RolloutHealth.problem(q, new RackSummary(5000, 100, 100, 0.3, 2.0, null), GEARS));
        assertEquals("health: p99 processing time 1500.0 ms of the rack (at most 1000.0 ms allowed)",
                RolloutHealth.problem(q, new RackSummary(5000, 100, 100, 0.0, 1500.0, Map.of()), GEARS));
    }

    @Test
    void aSignedBundleNamesTheGearsItTouchedAndOnlyTheirFiguresCount() {
        assertEquals(Set.of("json-in"), RolloutHealth.touched(SIGNED_JSON, GEARS));
        RolloutRequest q = request(SIGNED_JSON, 0.05, 50.0);
        RackSummary untouchedSlow = new RackSummary(5000, 200, 200, 0.5, 900.0, Map.of(
                "iso-in", new GearSummary(100, 1.0, 400.0, 900.0),
                "json-in", new GearSummary(100, 0.0, 1.0, 20.0)));
        assertNull(RolloutHealth.problem(q, untouchedSlow, GEARS), "iso-in was not changed: its failures are not this rollout's");
        RackSummary touchedSlow = new RackSummary(5000, 200, 200, 0.0, 60.0, Map.of(
                "iso-in", new GearSummary(100, 0.0, 1.0, 2.0),
                "json-in", new GearSummary(100, 0.0, 5.0, 60.0)));
        assertEquals("health: p99 processing time 60.0 ms of gear json-in (at most 50.0 ms allowed)",
                RolloutHealth.problem(q, touchedSlow, GEARS));
        RackSummary touchedFailing = new RackSummary(5000, 200, 200, 0.05, 3.0, Map.of(
                "json-in", new GearSummary(100, 0.1, 1.0, 3.0)));
        assertEquals("health: error rate 10.00 % of gear json-in over 5 s (at most 5.00 % allowed)",
                RolloutHealth.problem(q, touchedFailing, GEARS));
    }

    @Test
    void theErrorRateOfSeveralTouchedGearsIsWeightedByTheirTraffic() {
        Map<String, String> gears = Map.of("a", "io.fluxrig.gear.json 1.1.0", "b", "io.fluxrig.gear.json 1.1.0");
        RolloutRequest q = request(SIGNED_JSON, 0.1, null);
        // a: 90 msg/s, none failed; b: 10 msg/s, half failed: 5 of 100 = 5 %, not the mean of the rates (25 %).
        RackSummary s = new RackSummary(5000, 100, 100, 0.05, 1.0, Map.of("a", new GearSummary(90, 0, 0.5, 1.0),
                "b", new GearSummary(10, 0.5, 0.5, 1.0)));
        assertNull(RolloutHealth.problem(q, s, gears));
        assertEquals("health: error rate 20.00 % of gears a, b over 5 s (at most 10.00 % allowed)", RolloutHealth.problem(q,
                new RackSummary(5000, 100, 100, 0.2, 1.0, Map.of("a", new GearSummary(50, 0.2, 0.5, 1.0),
                        "b", new GearSummary(50, 0.2, 0.5, 1.0))), gears));
    }

    @Test
    void aPatchTouchesEveryGearAndAnUnknownBundleFallsBackToTheRack() {
        List<RolloutStep> withPatch = List.of(SIGNED_JSON.get(0), new RolloutStep("apply-patch", D1, "edge.yaml", null));
        assertNull(RolloutHealth.touched(withPatch, GEARS));
        assertNull(RolloutHealth.touched(List.of(new RolloutStep("install-bundle", D1, "x.jar", signed("io.fluxrig.gear.other"))),
                GEARS), "no instance runs it (yet): the rack is judged");
        assertNull(RolloutHealth.touched(List.of(new RolloutStep("install-bundle", D1, "x.jar", "{not a release")), GEARS));
        RackSummary s = new RackSummary(5000, 100, 100, 0.5, 2.0, Map.of("log", new GearSummary(100, 0.5, 1.0, 2.0)));
        assertEquals("health: error rate 50.00 % of the rack over 5 s (at most 25.00 % allowed)",
                RolloutHealth.problem(request(withPatch, null, null), s, GEARS));
    }
}
