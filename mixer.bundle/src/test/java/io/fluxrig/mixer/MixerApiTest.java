package io.fluxrig.mixer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The operator API: bearer token, reasons for malformed bodies, the registry views. */
class MixerApiTest {
    @RegisterExtension
    static final SharedMixer MIXER = new SharedMixer();
    static MixerFixture f;

    @Test
    void everyCallWithoutAValidTokenIs401() throws Exception {
        for (String[] call : new String[][] {{"/api/racks", null}, {"/api/racks/x", null}, {"/api/tokens", "{}"},
                {"/api/racks/x/revoke", "{}"}, {"/api/nothing", null}}) {
            for (String bearer : new String[] {null, "wrong", f.operatorToken + "x"}) {
                HttpResponse<String> r = f.api(call[0], call[1], bearer);
                assertEquals(401, r.statusCode(), call[0] + " with " + bearer);
                assertEquals("a valid operator bearer token is required", f.read(r.body()).get("error").asText());
            }
        }
    }

    @Test
    void theOperatorTokenIsStoredOnlyHashedAndPrivately() throws Exception {
        Path file = f.dir.resolve("mixer/api-token.sha256");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String stored = Files.readString(file);
        assertTrue(stored.trim().matches("[0-9a-f]{64}"), stored);
        assertTrue(!stored.contains(f.operatorToken));
    }

    @Test
    void malformedBodiesAre400WithTheReason() throws Exception {
        assertReason(f.api("/api/tokens", "{not json", f.operatorToken), "malformed JSON body");
        assertReason(f.api("/api/tokens", "[1,2]", f.operatorToken), "the body must be a JSON object");
        assertReason(f.api("/api/tokens", "{\"ttl\":\"soon\"}", f.operatorToken), "field 'ttl' must look like");
        assertReason(f.api("/api/tokens", "{\"ttl\":\"30d\"}", f.operatorToken), "field 'ttl' must be between");
        assertReason(f.api("/api/tokens", "{\"rack\":\"a b\"}", f.operatorToken), "field 'rack' must be a rack name");
        assertReason(f.api("/api/tokens", "{\"labels\":{\"k\":1}}", f.operatorToken), "field 'labels.k' must be a string");
        assertReason(f.api("/api/tokens", "{\"labels\":{\"k\":null}}", f.operatorToken), "field 'labels.k' must be a string");
        assertReason(f.api("/api/tokens", "{\"rack\":5}", f.operatorToken), "field 'rack' must be a string");
    }

    private void assertReason(HttpResponse<String> r, String prefix) throws Exception {
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(f.read(r.body()).get("error").asText().startsWith(prefix), r.body());
    }

    @Test
    void racksAreListedAndShownAndUnknownOnesAre404() throws Exception {
        FakeRack.enrol(f.snake(), "api-1", f.dir.resolve("racks/api-1/snake"), f.mint("api-1", "10m"), f.mixer.ca().hash());
        HttpResponse<String> list = f.api("/api/racks", null, f.operatorToken);
        assertEquals(200, list.statusCode());
        assertEquals(HttpClient.Version.HTTP_2, list.version());
        assertTrue(f.read(list.body()).get("racks").findValuesAsText("name").contains("api-1"), list.body());
        assertEquals(1, f.read(list.body()).get("total").asInt(), list.body());
        assertTrue(f.read(list.body()).get("next").isNull(), list.body());
        assertTrue(f.read(f.api("/api/racks?state=pending&label=site%3Dlab", null, f.operatorToken).body()).get("racks")
                .findValuesAsText("name").contains("api-1"));
        assertEquals(0, f.read(f.api("/api/racks?state=online", null, f.operatorToken).body()).get("total").asInt());
        assertReason(f.api("/api/racks?limit=5000", null, f.operatorToken), "query 'limit': '5000' must be a number from 1 to 1000");
        HttpResponse<String> one = f.api("/api/racks/api-1", null, f.operatorToken);
        assertEquals(200, one.statusCode());
        assertEquals("pending", f.read(one.body()).get("state").asText());
        assertEquals("lab", f.read(one.body()).get("labels").get("site").asText());
        HttpResponse<String> missing = f.api("/api/racks/nobody", null, f.operatorToken);
        assertEquals(404, missing.statusCode());
        assertEquals("no rack 'nobody'", f.read(missing.body()).get("error").asText());
        assertEquals(404, f.api("/api/racks/nobody/revoke", "{}", f.operatorToken).statusCode());
    }
}
