package io.fluxrig.mixer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.mixer.store.RackRecord;
import io.fluxrig.mixer.store.TokenRecord;
import io.fluxrig.rack.runtime.snake.Enroller;
import io.fluxrig.rack.runtime.snake.Snake;
import io.fluxrig.rack.runtime.snake.SnakeException;
import io.fluxrig.rack.runtime.snake.SnakeIdentity;
import io.fluxrig.rack.runtime.snake.SnakeSettings;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Enrolment end to end: the rack's real Enroller and Snake against the real Mixer endpoints. */
class SnakeEnrolmentTest {
    @TempDir
    static Path tmp;
    static MixerFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new MixerFixture(tmp);
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
    }

    private Enroller enroller(String rack) {
        return new Enroller(f.snake(), rack, tmp.resolve("racks").resolve(rack).resolve("snake"), new SecureRandom());
    }

    @Test
    void tokenCommandCarriesTheCaHash() throws Exception {
        HttpResponse<String> r = f.api("/api/tokens", "{\"rack\":\"edge-cmd\",\"ttl\":\"1h\"}", f.operatorToken);
        assertEquals(201, r.statusCode(), r.body());
        String cmd = f.read(r.body()).get("command").asText();
        assertTrue(cmd.contains("--ca-hash " + f.mixer.ca().hash()), cmd);
        assertTrue(cmd.contains("--name edge-cmd --mixer 127.0.0.1:7443 --token "), cmd);
    }

    @Test
    void rackEnrolsThenHeartbeatsWithItsStoredIdentityAndTheRegistryFollows() throws Exception {
        String token = f.mint("edge-1", "1h");
        SnakeIdentity id = enroller("edge-1").enrol(token, f.mixer.ca().hash());
        Path dir = tmp.resolve("racks/edge-1/snake");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("rack.key"))));
        assertEquals("CN=edge-1", id.chain()[0].getSubjectX500Principal().getName());
        assertEquals(f.mixer.ca().certificate(), id.ca());
        RackRecord pending = f.mixer.store().racks().get("edge-1").orElseThrow();
        assertEquals(RackRecord.PENDING, pending.state());
        assertEquals(Map.of("site", "lab"), pending.labels());
        assertEquals(id.chain()[0].getSerialNumber().toString(16), pending.certSerial());

        // Later starts: no token, no hash; only the stored identity.
        SnakeSettings s = new SnakeSettings(f.snake(), null, null, "edge-1", dir, 100, 1000);
        try (Snake snake = new Snake(s, () -> io.fluxrig.snake.api.SnakeCodec.json().read("{\"heartbeatMillis\":100,\"versions\":{\"fluxrig\":\"1.0.0\"},\"inventory\":{\"bundles\":[{\"symbolicName\":\"x\",\"version\":\"1.0.0\",\"state\":\"ACTIVE\"}]}}".getBytes(StandardCharsets.UTF_8), io.fluxrig.snake.api.Heartbeat.class), new SecureRandom())) {
            snake.start();
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
    void aUsedTokenIsRefused() throws Exception {
        String token = f.mint("edge-2", "1h");
        enroller("edge-2").enrol(token, f.mixer.ca().hash());
        SnakeException e = assertThrows(SnakeException.class, () -> enroller("edge-2").enrol(token, f.mixer.ca().hash()));
        assertEquals(401, e.status());
        assertTrue(e.getMessage().contains("token already used"), e.getMessage());
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        long now = System.currentTimeMillis();
        String token = f.mixer.store().tokens().mint(new SecureRandom(),
                new TokenRecord("edge-3", Map.of(), now - 7_200_000, now - 3_600_000, false, null));
        SnakeException e = assertThrows(SnakeException.class, () -> enroller("edge-3").enrol(token, f.mixer.ca().hash()));
        assertEquals(401, e.status());
        assertTrue(e.getMessage().contains("token expired"), e.getMessage());
    }

    @Test
    void anUnknownTokenIsRefused() {
        String token = "A".repeat(43);
        SnakeException e = assertThrows(SnakeException.class, () -> enroller("edge-4").enrol(token, f.mixer.ca().hash()));
        assertEquals(401, e.status());
        assertTrue(e.getMessage().contains("unknown token"), e.getMessage());
    }

    @Test
    void aTokenForAnotherRackIsRefusedAndStaysUsable() throws Exception {
        String token = f.mint("edge-5", "1h");
        SnakeException e = assertThrows(SnakeException.class, () -> enroller("imposter").enrol(token, f.mixer.ca().hash()));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("name mismatch"), e.getMessage());
        assertEquals("CN=edge-5", enroller("edge-5").enrol(token, f.mixer.ca().hash()).chain()[0]
                .getSubjectX500Principal().getName());
    }

    @Test
    void aWrongCaHashIsRefusedByTheRackBeforeAnythingIsSent() throws Exception {
        String token = f.mint("edge-6", "1h");
        String wrong = "sha256:" + "0".repeat(64);
        SnakeException e = assertThrows(SnakeException.class, () -> enroller("edge-6").enrol(token, wrong));
        assertTrue(e.getMessage().contains("Mixer CA hash mismatch"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("racks/edge-6/snake/rack.key")), "no key made, no CSR sent");
        assertEquals(RackRecord.PENDING, f.mixer.store().racks().get("edge-6").map(RackRecord::state).orElse(RackRecord.PENDING));
        enroller("edge-6").enrol(token, f.mixer.ca().hash()); // the token was not consumed
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
