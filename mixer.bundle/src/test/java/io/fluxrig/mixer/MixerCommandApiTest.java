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
}
