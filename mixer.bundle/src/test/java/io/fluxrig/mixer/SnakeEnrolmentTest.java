package io.fluxrig.mixer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fluxrig.mixer.store.RackRecord;
import io.fluxrig.mixer.store.TokenRecord;
import io.fluxrig.snake.api.Heartbeat;
import io.fluxrig.snake.api.Inventory;
import io.fluxrig.snake.api.RackSummary;
import io.fluxrig.testsupport.Await;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Enrolment end to end: the contract's {@link FakeRack} against the real Mixer endpoints. */
class SnakeEnrolmentTest {
    @RegisterExtension
    static final SharedMixer MIXER = new SharedMixer();
    static MixerFixture f;

    private FakeRack.Identity enrol(String rack, String token, String caHash) throws FakeRack.Refused {
        return FakeRack.enrol(f.snake(), rack, f.dir.resolve("racks").resolve(rack).resolve("snake"), token, caHash);
    }

    @Test
    void tokenCommandCarriesTheCaHash() throws Exception {
        HttpResponse<String> r = f.api("/api/tokens", "{\"rack\":\"edge-cmd\",\"ttl\":\"1h\"}", f.operatorToken);
        assertEquals(201, r.statusCode(), r.body());
        String cmd = f.read(r.body()).get("command").asText();
        assertTrue(cmd.endsWith("--name edge-cmd --mixer 127.0.0.1:7443 --token --ca-hash " + f.mixer.ca().hash()), cmd);
        assertFalse(cmd.contains(f.read(r.body()).get("token").asText()), "the rack asks for the token; it is no argument: " + cmd);
    }

    @Test
    void rackEnrolsThenHeartbeatsWithItsStoredIdentityAndTheRegistryFollows() throws Exception {
        String token = f.mint("edge-1", "1h");
        FakeRack.Identity id = enrol("edge-1", token, f.mixer.ca().hash());
        Path dir = f.dir.resolve("racks/edge-1/snake");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("rack.key"))));
        assertEquals("CN=edge-1", id.chain()[0].getSubjectX500Principal().getName());
        assertEquals(f.mixer.ca().certificate(), id.ca());
        RackRecord pending = f.mixer.store().racks().get("edge-1").orElseThrow();
        assertEquals(RackRecord.PENDING, pending.state());
        assertEquals(Map.of("site", "lab"), pending.labels());
        assertEquals(id.chain()[0].getSerialNumber().toString(16), pending.certSerial());

        // Later starts: no token, no hash; only the stored identity.
        Inventory inventory = new Inventory(List.of(new Inventory.Bundle(1, "x", "1.0.0", "ACTIVE")), null, null, null, null, null, null);
        try (FakeRack snake = new FakeRack(f.snake(), "edge-1", dir, 100, 0)
                .sending(new Heartbeat(100, Map.of("fluxrig", "1.0.0"), inventory)).start()) {
            RackRecord online = f.awaitRack("edge-1", r -> RackRecord.ONLINE.equals(r.state()));
            assertEquals("x", online.inventory().get("bundles").get(0).get("symbolicName").asText());
            assertEquals("1.0.0", online.versions().get("fluxrig"));
            assertEquals(100, online.heartbeatMillis());
            assertTrue(online.lastSeen() > 0);
            assertEquals("127.0.0.1", online.address());
        }
        // The rack stopped sending: three missed periods later the sweeper marks it offline.
        RackRecord offline = f.awaitRack("edge-1", r -> RackRecord.OFFLINE.equals(r.state()));
        assertTrue(offline.reason().startsWith("no heartbeat for 3 periods"), offline.reason());
    }

    @Test
    void theLatestHeartbeatSummaryIsInTheRacksApiWhileTheRackIsOnline() throws Exception {
        Path dir = f.enrol("edge-rates");
        RackSummary summary = new RackSummary(100, 250.5, 248.0, 0.004, 7.5,
                Map.of("in", new RackSummary.GearSummary(250.5, 0.004, 0.25, 7.5)));
        try (FakeRack snake = new FakeRack(f.snake(), "edge-rates", dir, 100, 0)
                .sending(new Heartbeat(100, Map.of(), null).withSummary(summary)).start()) {
            JsonNode listed = Await.until("edge-rates listed with its summary", () -> rackListed("edge-rates"),
                    r -> r != null && r.has("summary"), Await.PATIENCE);
            assertEquals(summary, f.json.treeToValue(listed.get("summary"), RackSummary.class));
            assertEquals("online", listed.get("state").asText());
        }
        f.awaitRack("edge-rates", r -> RackRecord.OFFLINE.equals(r.state()));
        JsonNode offline = rackListed("edge-rates");
        assertEquals("offline", offline.get("state").asText());
        assertFalse(offline.has("summary"), "an offline rack's last rates are not listed as current: " + offline);
    }

    /** @return the rack's entry in the operator API's rack list, or null */
    private static JsonNode rackListed(String name) throws Exception {
        HttpResponse<String> r = f.api("/api/racks", null, f.operatorToken);
        assertEquals(200, r.statusCode(), r.body());
        for (JsonNode rack : f.read(r.body()).get("racks")) {
            if (name.equals(rack.get("name").asText())) {
                return rack;
            }
        }
        return null;
    }

    @Test
    void aUsedTokenIsRefused() throws Exception {
        String token = f.mint("edge-2", "1h");
        enrol("edge-2", token, f.mixer.ca().hash());
        FakeRack.Refused e = assertThrows(FakeRack.Refused.class, () -> enrol("edge-2", token, f.mixer.ca().hash()));
        assertEquals(401, e.status());
        assertTrue(e.getMessage().contains("token already used"), e.getMessage());
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        long now = System.currentTimeMillis();
        String token = f.mixer.store().tokens().mint(new SecureRandom(),
                new TokenRecord("edge-3", Map.of(), now - 7_200_000, now - 3_600_000, false, null));
        FakeRack.Refused e = assertThrows(FakeRack.Refused.class, () -> enrol("edge-3", token, f.mixer.ca().hash()));
        assertEquals(401, e.status());
        assertTrue(e.getMessage().contains("token expired"), e.getMessage());
    }

    @Test
    void anUnknownTokenIsRefused() {
        String token = "A".repeat(43);
        FakeRack.Refused e = assertThrows(FakeRack.Refused.class, () -> enrol("edge-4", token, f.mixer.ca().hash()));
        assertEquals(401, e.status());
        assertTrue(e.getMessage().contains("unknown token"), e.getMessage());
    }

    @Test
    void aTokenForAnotherRackIsRefusedAndStaysUsable() throws Exception {
        String token = f.mint("edge-5", "1h");
        FakeRack.Refused e = assertThrows(FakeRack.Refused.class, () -> enrol("imposter", token, f.mixer.ca().hash()));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("name mismatch"), e.getMessage());
        assertEquals("CN=edge-5", enrol("edge-5", token, f.mixer.ca().hash()).chain()[0]
                .getSubjectX500Principal().getName());
    }

    @Test
    void aWrongCaHashIsRefusedByTheRackBeforeAnythingIsSent() throws Exception {
        String token = f.mint("edge-6", "1h");
        String wrong = "sha256:" + "0".repeat(64);
        FakeRack.Refused e = assertThrows(FakeRack.Refused.class, () -> enrol("edge-6", token, wrong));
        assertTrue(e.getMessage().contains("Mixer CA hash mismatch"), e.getMessage());
        assertFalse(Files.exists(f.dir.resolve("racks/edge-6/snake/rack.key")), "no key made, no CSR sent");
        assertEquals(RackRecord.PENDING, f.mixer.store().racks().get("edge-6").map(RackRecord::state).orElse(RackRecord.PENDING));
        enrol("edge-6", token, f.mixer.ca().hash()); // the token was not consumed
    }

    @Test
    void aBadCsrIsRefusedWithTheReason() throws Exception {
        String token = f.mint("edge-7", "1h");
        HttpResponse<String> r = MixerFixture.client(TestPki.context(f.mixer.ca().certificate(), null)).send(
                HttpRequest.newBuilder(URI.create("https://" + f.snake() + "/enrol"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token + "\",\"csr\":\"not a csr\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode());
        assertTrue(f.read(r.body()).get("error").asText().startsWith("bad CSR"), r.body());
    }
}
