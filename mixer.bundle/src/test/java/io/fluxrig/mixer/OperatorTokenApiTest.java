package io.fluxrig.mixer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.snake.api.OperatorPaths;
import io.fluxrig.snake.api.OperatorTokenFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Operator token rotation through the operator API of a real Mixer (TLS, real NATS): the caller
 * gets the new token once, the old one is refused at the very next request, the Mixer's own token
 * file follows, and a bad request changes nothing.
 */
class OperatorTokenApiTest {
    @RegisterExtension
    static final SharedMixer MIXER = new SharedMixer();
    static MixerFixture f;

    @Test
    void aRotationThroughTheApiRefusesTheOldTokenAtOnce() throws Exception {
        String old = f.operatorToken;
        assertEquals(401, f.api(OperatorPaths.OPERATOR_TOKEN_ROTATE, "{}", "frm_wrong").statusCode(), "authenticated like every route");
        var r = f.api(OperatorPaths.OPERATOR_TOKEN_ROTATE, "{}", old);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
        String fresh = f.read(r.body()).get("token").asText();
        assertTrue(fresh.startsWith("frm_") && !fresh.equals(old), r.body());
        assertTrue(f.read(r.body()).get("expires").isNull());

        assertEquals(401, f.api("/api/racks", null, old).statusCode(), "the old token is refused at once");
        assertEquals(200, f.api("/api/racks", null, fresh).statusCode());
        Path data = f.dir.resolve("mixer");
        assertEquals(fresh, Files.readString(data.resolve(OperatorTokenFiles.TOKEN)).strip(), "the Mixer's own token file follows");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(OperatorTokenFiles.TOKEN))));

        var bad = f.api(OperatorPaths.OPERATOR_TOKEN_ROTATE, "{\"ttl\":\"forever\"}", fresh);
        assertEquals(400, bad.statusCode(), bad.body());
        assertTrue(bad.body().contains("ttl"), bad.body());
        assertEquals(200, f.api("/api/racks", null, fresh).statusCode(), "a refused rotation changes nothing");

        Instant before = Instant.now();
        var expiring = f.api(OperatorPaths.OPERATOR_TOKEN_ROTATE, "{\"ttl\":\"90d\"}", fresh);
        assertEquals(200, expiring.statusCode(), expiring.body());
        Instant expires = Instant.parse(f.read(expiring.body()).get("expires").asText());
        assertTrue(!expires.isBefore(before.plusSeconds(90L * 86400 - 5)), expires.toString());
        String third = f.read(expiring.body()).get("token").asText();
        assertNotEquals(fresh, third);
        assertEquals(401, f.api("/api/racks", null, fresh).statusCode());
        assertEquals(200, f.api("/api/racks", null, third).statusCode());
        assertEquals(expires, OperatorTokenFiles.read(data).expires());
    }
}
