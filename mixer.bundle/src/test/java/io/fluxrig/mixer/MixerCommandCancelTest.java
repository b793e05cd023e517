package io.fluxrig.mixer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fluxrig.testsupport.Await;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Withdrawing queued work, against a real Mixer and a fake rack that is offline at first: an
 * operator cancels a queued command, a paused rollout withdraws the step its offline rack has not
 * taken; once the rack comes online it runs later commands but never the withdrawn ones, and a
 * command it already answered cannot be cancelled. A rollout whose artifact is not on the Mixer is
 * refused at creation, naming the artifact.
 */
class MixerCommandCancelTest {
    @Test
    void queuedCommandsAndAPausedRolloutsStepAreWithdrawnBeforeTheRackTakesThem(@TempDir Path tmp) throws Exception {
        try (MixerFixture f = new MixerFixture(tmp)) {
            Path dir = f.enrol("late");
            HttpResponse<String> queued = f.api("/api/racks/late/commands", "{\"type\":\"renew-certificate\"}", f.operatorToken);
            assertEquals(201, queued.statusCode(), queued.body());
            String first = f.read(queued.body()).get("id").asText();
            HttpResponse<String> cancelled = f.api("/api/racks/late/commands/" + first + "/cancel", "", f.operatorToken);
            assertEquals(200, cancelled.statusCode(), cancelled.body());
            assertEquals("cancelled", f.read(cancelled.body()).get("state").asText());
            assertEquals("cancelled", f.read(f.api("/api/racks/late/commands/" + first, null, f.operatorToken).body()).get("state").asText());
            assertEquals(404, f.api("/api/racks/late/commands/" + "0".repeat(32) + "/cancel", "", f.operatorToken).statusCode());

            // A rollout's artifact must be on the Mixer.
            String missing = "sha256:" + "cd".repeat(32);
            String step = "{\"type\":\"%s\",\"digest\":\"%s\",\"name\":\"gear.x.jar\"}";
            String body = "{\"selector\":\"late\",\"waves\":[\"100%%\"],\"steps\":[" + step + "],\"soakMillis\":0,\"maxFailures\":0,"
                    + "\"onFailure\":\"pause\",\"deadlineMillis\":600000}";
            HttpResponse<String> refused = f.api("/api/rollouts", body.formatted("preflight-bundle", missing), f.operatorToken);
            assertEquals(400, refused.statusCode(), refused.body());
            assertEquals("steps: artifact gear.x.jar (" + missing + ") is not stored on this Mixer; upload it first "
                    + "(POST /api/artifacts, as 'rollout create' does)", f.read(refused.body()).get("error").asText());

            String digest = f.read(f.upload("gear bytes".getBytes(StandardCharsets.UTF_8), f.operatorToken, true).body())
                    .get("digest").asText();
            HttpResponse<String> created = f.api("/api/rollouts", body.formatted("preflight-bundle", digest), f.operatorToken);
            assertEquals(201, created.statusCode(), created.body());
            String id = f.read(created.body()).get("id").asText();
            Await.until("the step is queued for the offline rack", () -> !rack(f, id).path("command").isNull()
                    && rack(f, id).has("command"), MixerFixture.PATIENCE);
            String step1 = rack(f, id).get("command").asText();
            HttpResponse<String> paused = f.api("/api/rollouts/" + id + "/pause", "", f.operatorToken);
            assertEquals(200, paused.statusCode(), paused.body());
            assertEquals("paused by the operator; 1 queued command(s) withdrawn", f.read(paused.body()).get("reason").asText());
            assertEquals("paused: command " + step1 + " withdrawn before the rack took it; sent again on resume",
                    rack(f, id).get("detail").asText());
            JsonNode withdrawn = f.read(f.api("/api/racks/late/commands/" + step1, null, f.operatorToken).body());
            assertEquals("cancelled", withdrawn.get("state").asText(), withdrawn.toString());
            assertEquals(200, f.api("/api/rollouts/" + id + "/abort", "", f.operatorToken).statusCode());

            // The rack comes online: it runs what is queued now, never what was withdrawn.
            try (FakeRack rack = f.start("late", dir, 100)) {
                HttpResponse<String> later = f.api("/api/racks/late/commands", "{\"type\":\"renew-certificate\"}", f.operatorToken);
                String third = f.read(later.body()).get("id").asText();
                Await.until("the later command is answered", () -> "done".equals(command(f, third)), MixerFixture.PATIENCE);
                String ran = Files.readString(dir.resolve("commands.log"));
                assertTrue(ran.contains(third), ran);
                assertFalse(ran.contains(first), "the cancelled command never reached the rack: " + ran);
                assertFalse(ran.contains(step1), "the withdrawn rollout step never reached the rack: " + ran);
                HttpResponse<String> tooLate = f.api("/api/racks/late/commands/" + third + "/cancel", "", f.operatorToken);
                assertEquals(409, tooLate.statusCode(), tooLate.body());
                assertTrue(f.read(tooLate.body()).get("error").asText().contains("already has the rack's result (done)"), tooLate.body());
            }
        }
    }

    private static JsonNode rack(MixerFixture f, String rollout) {
        try {
            return f.read(f.api("/api/rollouts/" + rollout, null, f.operatorToken).body()).get("racks").get("late");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String command(MixerFixture f, String id) {
        try {
            return f.read(f.api("/api/racks/late/commands/" + id, null, f.operatorToken).body()).path("state").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
