package io.fluxrig.mixer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fluxrig.snake.api.Heartbeat;
import io.fluxrig.snake.api.Inventory;
import io.fluxrig.snake.api.release.ReleaseTrust;
import io.fluxrig.testsupport.Await;
import java.util.List;
import java.util.Map;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollouts through the real Mixer (real nats-server KV, its rollout driver, the operator API over
 * HTTPS) and real Snake connections of two fake racks. The fake racks refuse the pre-flight (they
 * run no framework), so the canary fails: the rollout pauses after the canary, the second rack
 * never gets a command, and the record in the KV says why; abort ends it, and the operator's
 * rollback of it (nothing was changed) ends at once and only once.
 */
class MixerRolloutApiTest {
    @Test
    void aFailedCanaryPausesTheRolloutBeforeTheNextWaveAndAbortEndsIt(@TempDir Path tmp) throws Exception {
        try (MixerFixture f = new MixerFixture(tmp)) {
            Path a = f.enrol("roll-a");
            Path b = f.enrol("roll-b");
            try (FakeRack ra = f.start("roll-a", a, 100); FakeRack rb = f.start("roll-b", b, 100)) {
                Await.until("both racks online", () -> "online".equals(ra.state()) && "online".equals(rb.state()), MixerFixture.PATIENCE);
                String digest = f.read(f.upload("gear x".getBytes(java.nio.charset.StandardCharsets.UTF_8), f.operatorToken, true)
                        .body()).get("digest").asText(); // a rollout's artifacts must be on the Mixer
                String step = "{\"type\":\"%s\",\"digest\":\"" + digest + "\",\"name\":\"gear.x.jar\"}";
                String body = "{\"selector\":\"site=lab\",\"waves\":[\"1\",\"100%\"],\"steps\":[" + step.formatted("preflight-bundle") + ","
                        + step.formatted("install-bundle") + "],\"soakMillis\":0,\"maxFailures\":0,\"onFailure\":\"pause\","
                        + "\"deadlineMillis\":60000}";

                HttpResponse<String> bad = f.api("/api/rollouts", body.replace("site=lab", "site=nowhere"), f.operatorToken);
                assertEquals(400, bad.statusCode(), bad.body());
                assertEquals("selector: 'site=nowhere' matches no registered rack", f.read(bad.body()).get("error").asText());
                assertEquals(401, f.api("/api/rollouts", body, "not-the-token").statusCode());

                HttpResponse<String> created = f.api("/api/rollouts", body, f.operatorToken);
                assertEquals(201, created.statusCode(), created.body());
                String id = f.read(created.body()).get("id").asText();
                assertEquals(1, f.read(created.body()).get("waveTargets").get(0).asInt(), created.body());
                assertEquals("roll-a", f.read(created.body()).get("racks").fieldNames().next(), "racks in name order: roll-a is the canary: " + created.body());

                Await.until("the canary fails and the rollout pauses", () -> "paused".equals(rollout(f, id).path("state").asText()),
                        MixerFixture.PATIENCE);
                JsonNode r = rollout(f, id);
                JsonNode canary = r.get("racks").get("roll-a");
                assertEquals("failed", canary.get("state").asText());
                assertTrue(canary.get("detail").asText().startsWith("preflight-bundle gear.x.jar: refused: unknown command type"),
                        canary.toString());
                assertEquals("queued", r.get("racks").get("roll-b").get("state").asText(), "the second wave never opened");
                assertTrue(f.read(f.api("/api/racks/roll-b/commands", null, f.operatorToken).body()).isEmpty(),
                        "roll-b got no command");
                assertTrue(r.get("reason").asText().startsWith("1 rack(s) failed (at most 0 allowed): paused"), r.toString());
                assertEquals("fluxrig.rollout.id", r.get("traces").get("attribute").asText(), r.toString());
                assertEquals(id, r.get("traces").get("value").asText());
                assertTrue(r.get("traces").get("searchUrl").isNull(), "no trace search configured: no link: " + r);

                HttpResponse<String> aborted = f.api("/api/rollouts/" + id + "/abort", "", f.operatorToken);
                assertEquals(200, aborted.statusCode(), aborted.body());
                assertEquals("aborted", rollout(f, id).get("state").asText());
                assertEquals("skipped", rollout(f, id).get("racks").get("roll-b").get("state").asText());
                HttpResponse<String> again = f.api("/api/rollouts/" + id + "/resume", "", f.operatorToken);
                assertEquals(409, again.statusCode(), again.body());

                // The operator's rollback, also after an abort: no rack was changed here, so nothing is sent and it ends at once.
                HttpResponse<String> back = f.api("/api/rollouts/" + id + "/rollback", "", f.operatorToken);
                assertEquals(200, back.statusCode(), back.body());
                assertEquals("rolling-back", f.read(back.body()).get("state").asText(), back.body());
                Await.until("the rollback to end", () -> "rolled-back".equals(rollout(f, id).path("state").asText()),
                        MixerFixture.PATIENCE);
                assertTrue(f.read(f.api("/api/racks/roll-b/commands", null, f.operatorToken).body()).isEmpty(),
                        "roll-b still got no command");
                HttpResponse<String> twice = f.api("/api/rollouts/" + id + "/rollback", "", f.operatorToken);
                assertEquals(409, twice.statusCode(), twice.body());
                assertTrue(f.read(twice.body()).get("error").asText().endsWith("is rolled-back already"), twice.body());
            }
        }
    }

    private static JsonNode rollout(MixerFixture f, String id) {
        try {
            return f.read(f.api("/api/rollouts/" + id, null, f.operatorToken).body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void unsignedStepsAreRefusedForRacksThatPinKeysAndTheSoakGateReadsEachRacksInventory(@TempDir Path tmp) throws Exception {
        try (MixerFixture f = new MixerFixture(tmp)) {
            Path dir = f.enrol("pinned-a");
            Inventory inventory = new Inventory(List.of(), Map.of(), List.of(),
                    List.of(new Inventory.Gear("json-in", "json", "io.fluxrig.gear.json", "failed", 0, 0, 3)), List.of(), null,
                    List.of(), new ReleaseTrust(ReleaseTrust.PINNED, List.of("ed25519:0123456789abcdef"), Map.of()));
            try (FakeRack rack = new FakeRack(f.snake(), "pinned-a", dir, 100, 0).sending(new Heartbeat(100, Map.of(), inventory)).start()) {
                f.awaitRack("pinned-a", r -> r.inventory() != null && r.inventory().at("/releases/mode").asText().equals("pinned"));
                String digest = f.read(f.upload("gear y".getBytes(java.nio.charset.StandardCharsets.UTF_8), f.operatorToken, true)
                        .body()).get("digest").asText();
                String body = "{\"selector\":\"pinned-a\",\"waves\":[\"100%\"],\"steps\":[{\"type\":\"install-bundle\",\"digest\":\""
                        + digest + "\",\"name\":\"gear.y.jar\"}],\"soakMillis\":0,\"maxFailures\":0,\"onFailure\":\"pause\","
                        + "\"deadlineMillis\":60000}";
                HttpResponse<String> refused = f.api("/api/rollouts", body, f.operatorToken);
                assertEquals(400, refused.statusCode(), refused.body());
                assertEquals("steps: install-bundle gear.y.jar (" + digest + ") has no signed release (gear.y.jar.sig), but pinned-a "
                        + "pin publisher keys and would refuse it; sign it with 'fluxrig release sign'",
                        f.read(refused.body()).get("error").asText());
                assertEquals("gear json-in is failed", f.mixer.rollouts().health("pinned-a"),
                        "the soak gate sees the gear state the rack reported");
            }
        }
    }
}
