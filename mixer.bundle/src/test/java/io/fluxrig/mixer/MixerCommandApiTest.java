package io.fluxrig.mixer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fluxrig.testsupport.Await;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator API's command routes and health data, with a real rack executing the command. */
class MixerCommandApiTest {
    @Test
    void anOperatorQueuesACommandAndReadsItsResult(@TempDir Path tmp) throws Exception {
        try (MixerFixture f = new MixerFixture(tmp)) {
            HttpResponse<String> health = f.api("/api/health", null, f.operatorToken);
            assertEquals(200, health.statusCode(), health.body());
            assertEquals("connected", f.read(health.body()).get("nats").asText());

            Path dir = f.enrol("api-cmd");
            try (FakeRack rack = f.start("api-cmd", dir, 100)) {
                HttpResponse<String> queued = f.api("/api/racks/api-cmd/commands", "{\"type\":\"reboot-now\",\"args\":{\"when\":\"now\"}}",
                        f.operatorToken);
                assertEquals(201, queued.statusCode(), queued.body());
                String id = f.read(queued.body()).get("id").asText();
                Await.until("the result", () -> {
                    try {
                        return !"pending".equals(f.read(f.api("/api/racks/api-cmd/commands/" + id, null, f.operatorToken).body())
                                .get("state").asText());
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }, MixerFixture.PATIENCE);
                JsonNode c = f.read(f.api("/api/racks/api-cmd/commands/" + id, null, f.operatorToken).body());
                assertEquals("refused", c.get("state").asText());
                assertTrue(c.get("detail").asText().startsWith("unknown command type 'reboot-now'"), c.toString());
                assertEquals(id, f.read(f.api("/api/racks/api-cmd/commands", null, f.operatorToken).body()).get(0).get("id").asText());
            }
            assertEquals(404, f.api("/api/racks/nobody/commands", "{\"type\":\"renew-certificate\"}", f.operatorToken).statusCode());
            HttpResponse<String> bad = f.api("/api/racks/api-cmd/commands", "{\"type\":\"Bad Type\"}", f.operatorToken);
            assertEquals(400, bad.statusCode());
            assertTrue(f.read(bad.body()).get("error").asText().startsWith("type: 'Bad Type'"), bad.body());
            assertEquals(404, f.api("/api/racks/api-cmd/commands/" + "0".repeat(32), null, f.operatorToken).statusCode());

            f.nats.stop();
            Await.until("health says not ready", () -> {
                try {
                    HttpResponse<String> h = f.api("/api/health", null, f.operatorToken);
                    return h.statusCode() == 503 && "disconnected".equals(f.read(h.body()).get("nats").asText());
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }, MixerFixture.PATIENCE);
            f.nats.start();
        }
    }

    /**
     * A fan-out: one command to every rack a label selects, with a per-rack summary. Racks edge-1
     * (running) and edge-2 (enrolled, never started) carry tier=edge, core-1 (running) tier=core.
     */
    @Test
    void anOperatorSendsOneCommandToEveryRackALabelSelects(@TempDir Path tmp) throws Exception {
        try (MixerFixture f = new MixerFixture(tmp)) {
            Path e1 = f.enrol("edge-1", java.util.Map.of("tier", "edge"));
            f.enrol("edge-2", java.util.Map.of("tier", "edge"));
            Path c1 = f.enrol("core-1", java.util.Map.of("tier", "core"));
            try (FakeRack edge = f.start("edge-1", e1, 100); FakeRack core = f.start("core-1", c1, 100)) {
                f.awaitRack("edge-1", r -> "online".equals(r.state()));
                HttpResponse<String> sent = f.api("/api/fanouts", "{\"selector\":\"tier=edge\",\"type\":\"renew-certificate\"}",
                        f.operatorToken);
                assertEquals(201, sent.statusCode(), sent.body());
                JsonNode created = f.read(sent.body());
                assertEquals(2, created.get("total").asInt(), sent.body());
                String id = created.get("id").asText();

                JsonNode done = awaitFanOut(f, id, s -> s.get("counts").get("done").asInt() == 1);
                assertEquals(1, done.get("counts").get("offline").asInt(), done.toString()); // edge-2 never came online
                assertEquals(0, done.get("counts").get("failed").asInt(), done.toString());
                assertEquals("edge-1", done.get("racks").get(0).get("rack").asText());
                assertTrue(done.get("racks").get(0).get("detail").asText().startsWith("certificate renewed"), done.toString());
                assertEquals("edge-2", done.get("racks").get(1).get("rack").asText());
                assertEquals("offline", done.get("racks").get(1).get("state").asText());
                // the rack's own command is an ordinary command of that rack
                String command = done.get("racks").get(0).get("command").asText();
                assertEquals("done", f.read(f.api("/api/racks/edge-1/commands/" + command, null, f.operatorToken).body())
                        .get("state").asText());
                assertEquals(0, f.read(f.api("/api/racks/core-1/commands", null, f.operatorToken).body()).size(),
                        "core-1 is not tier=edge");

                // all racks, a type the racks refuse: the summary says failed with the rack's reason
                String all = f.read(f.api("/api/fanouts", "{\"selector\":\"all\",\"type\":\"reboot-now\"}", f.operatorToken)
                        .body()).get("id").asText();
                JsonNode refused = awaitFanOut(f, all, s -> s.get("counts").get("failed").asInt() == 2);
                assertEquals(3, refused.get("total").asInt());
                JsonNode failedOnly = f.read(f.api("/api/fanouts/" + all + "?state=failed", null, f.operatorToken).body());
                assertEquals(2, failedOnly.get("racks").size(), failedOnly.toString());
                assertTrue(failedOnly.get("racks").get(0).get("detail").asText().startsWith("refused: unknown command type"),
                        failedOnly.toString());
            }
            HttpResponse<String> none = f.api("/api/fanouts", "{\"selector\":\"tier=nowhere\",\"type\":\"renew-certificate\"}",
                    f.operatorToken);
            assertEquals(400, none.statusCode(), none.body());
            assertTrue(f.read(none.body()).get("error").asText().startsWith("selector: 'tier=nowhere' matches no"), none.body());
            HttpResponse<String> badSelector = f.api("/api/fanouts", "{\"selector\":\"tier=\",\"type\":\"renew-certificate\"}",
                    f.operatorToken);
            assertEquals(400, badSelector.statusCode(), badSelector.body());
            HttpResponse<String> badArgs = f.api("/api/fanouts", "{\"selector\":\"all\",\"type\":\"fetch-artifact\"}",
                    f.operatorToken);
            assertEquals(400, badArgs.statusCode(), badArgs.body());
            assertEquals(404, f.api("/api/fanouts/" + "0".repeat(32), null, f.operatorToken).statusCode());
            assertEquals(401, f.api("/api/fanouts", "{\"selector\":\"all\",\"type\":\"renew-certificate\"}", null).statusCode());
        }
    }

    /**
     * A fan-out to many racks: every rack gets exactly one command, under the id the fan-out names
     * for it (so queueing it again queues nothing), however many are queued at once. The racks are
     * registered straight in the registry (enrolled, never connected): only the queueing is tested.
     */
    @Test
    void aFanOutToManyRacksQueuesExactlyOneCommandPerRack(@TempDir Path tmp) throws Exception {
        int n = 3 * io.fluxrig.mixer.rollout.FanOuts.PARALLEL + 5; // more racks than are queued at once
        try (MixerFixture f = new MixerFixture(tmp)) {
            io.fluxrig.mixer.store.RackRegistry racks = f.mixer.store().racks();
            for (int i = 0; i < n; i++) {
                String name = String.format("wave-%03d", i);
                racks.enrol(new io.fluxrig.mixer.store.RackRecord(name, java.util.Map.of("wave", "big"),
                        io.fluxrig.mixer.store.RackRecord.PENDING, 1, 0, null, "1", Long.MAX_VALUE, 0, java.util.Map.of(), null,
                        "enrolled"), racks.read(name));
            }
            Await.until("the registry's view to list " + n + " racks", () -> {
                try {
                    return racks.list().size() == n;
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            }, MixerFixture.PATIENCE);

            HttpResponse<String> sent = f.api("/api/fanouts", "{\"selector\":\"wave=big\",\"type\":\"reboot-now\"}",
                    f.operatorToken);
            assertEquals(201, sent.statusCode(), sent.body());
            String id = f.read(sent.body()).get("id").asText();
            // every rack is pending (never online): a queued command shows as offline, one not queued as failed
            JsonNode all = awaitFanOut(f, id, s -> s.get("counts").get("offline").asInt() + s.get("counts").get("failed").asInt() == n);
            assertEquals(n, all.get("counts").get("offline").asInt(), all.toString());
            for (JsonNode r : all.get("racks")) {
                JsonNode commands = f.read(f.api("/api/racks/" + r.get("rack").asText() + "/commands", null, f.operatorToken).body());
                assertEquals(1, commands.size(), r + ": " + commands);
                assertEquals(r.get("command").asText(), commands.get(0).get("id").asText(), commands.toString());
                // queued again under its id (a Mixer resuming the fan-out after a restart): nothing is written
                assertEquals(false, f.mixer.commands().enqueue(r.get("rack").asText(), "reboot-now", java.util.Map.of(),
                        r.get("command").asText()));
            }
        }
    }

    private static JsonNode awaitFanOut(MixerFixture f, String id, java.util.function.Predicate<JsonNode> condition) throws Exception {
        java.util.concurrent.atomic.AtomicReference<JsonNode> seen = new java.util.concurrent.atomic.AtomicReference<>();
        Await.until("fan-out " + id + " to reach the expected summary", () -> {
            try {
                HttpResponse<String> r = f.api("/api/fanouts/" + id, null, f.operatorToken);
                assertEquals(200, r.statusCode(), r.body());
                seen.set(f.read(r.body()));
                return condition.test(seen.get());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, MixerFixture.PATIENCE);
        return seen.get();
    }
}
