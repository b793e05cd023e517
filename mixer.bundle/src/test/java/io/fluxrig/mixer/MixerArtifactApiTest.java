package io.fluxrig.mixer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fluxrig.testsupport.Await;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The artifact routes of the operator API (POST /api/artifacts, GET /api/artifacts/{hex}) and the
 * digest check of commands that name an artifact, against a real Mixer with a 1 MiB upload cap.
 */
class MixerArtifactApiTest {
    private static final int CAP = 1024 * 1024;
    @RegisterExtension
    static final SharedMixer MIXER = new SharedMixer(dir -> new MixerFixture(dir, CAP));
    static MixerFixture f;

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    private static String sha256(byte[] b) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static List<String> stored() throws Exception {
        Path dir = f.dir.resolve("mixer/artifacts");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void anUploadIsStoredUnderItsSha256AndServedToARack() throws Exception {
        byte[] content = random(300_000);
        String digest = sha256(content);
        for (boolean announced : new boolean[] {true, false}) {
            HttpResponse<String> r = f.upload(content, f.operatorToken, announced);
            assertEquals(announced ? 201 : 200, r.statusCode(), "first upload 201, the same bytes again 200: " + r.body());
            JsonNode body = f.read(r.body());
            assertEquals(digest, body.get("digest").asText());
            assertEquals(content.length, body.get("size").asLong());
        }
        Path file = f.dir.resolve("mixer/artifacts").resolve(digest.substring(7));
        assertArrayEquals(content, Files.readAllBytes(file));
        assertTrue(stored().stream().noneMatch(n -> n.endsWith(".part")), stored().toString());

        for (String id : new String[] {digest.substring(7), digest}) {
            HttpResponse<String> got = f.api("/api/artifacts/" + id, null, f.operatorToken);
            assertEquals(200, got.statusCode(), got.body());
            assertEquals(digest, f.read(got.body()).get("digest").asText());
            assertEquals(content.length, f.read(got.body()).get("size").asLong());
        }
        HttpResponse<String> absent = f.api("/api/artifacts/" + "0".repeat(64), null, f.operatorToken);
        assertEquals(404, absent.statusCode());
        assertEquals("no artifact sha256:" + "0".repeat(64) + " on this Mixer", f.read(absent.body()).get("error").asText());
        HttpResponse<String> malformed = f.api("/api/artifacts/ABC", null, f.operatorToken);
        assertEquals(400, malformed.statusCode());
        assertTrue(f.read(malformed.body()).get("error").asText().startsWith("'ABC' is not a sha-256 digest"), malformed.body());

        // Served: a rack fetches it over the Snake, queued through the API with the uploaded digest.
        Path dir = f.enrol("art-fetch");
        try (FakeRack rack = f.start("art-fetch", dir, 100)) {
            HttpResponse<String> queued = f.api("/api/racks/art-fetch/commands",
                    "{\"type\":\"fetch-artifact\",\"args\":{\"digest\":\"" + digest + "\"}}", f.operatorToken);
            assertEquals(201, queued.statusCode(), queued.body());
            String id = f.read(queued.body()).get("id").asText();
            Await.until("the fetch result", () -> {
                try {
                    return !"pending".equals(f.read(f.api("/api/racks/art-fetch/commands/" + id, null, f.operatorToken).body())
                            .get("state").asText());
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }, MixerFixture.PATIENCE);
            JsonNode c = f.read(f.api("/api/racks/art-fetch/commands/" + id, null, f.operatorToken).body());
            assertEquals("done", c.get("state").asText(), c.toString());
            assertArrayEquals(content, Files.readAllBytes(dir.resolveSibling("artifacts").resolve(digest.substring(7))));
        }
    }

    @Test
    void anUploadOverTheCapIs413AndLeavesNoFile() throws Exception {
        byte[] exact = random(CAP);
        HttpResponse<String> ok = f.upload(exact, f.operatorToken, true);
        assertEquals(201, ok.statusCode(), "exactly the cap is accepted: " + ok.body());
        List<String> before = stored();
        // One byte over, and far over: the client gets the reason (not a hang or a reset) with or without a length.
        for (byte[] over : new byte[][] {random(CAP + 1), random(3 * CAP)}) {
            for (boolean announced : new boolean[] {true, false}) {
                HttpResponse<String> r = f.upload(over, f.operatorToken, announced);
                assertEquals(413, r.statusCode(), over.length + " bytes, announced length " + announced + ": " + r.body());
                String reason = f.read(r.body()).get("error").asText();
                assertTrue(reason.contains("the limit is " + CAP + " bytes (1 MiB, framework property fluxrig.mixer.artifact.max.mb)")
                        && reason.endsWith("nothing was stored"), reason);
                assertEquals(before, stored(), "no artifact and no partial file left");
            }
            assertFalse(Files.exists(f.dir.resolve("mixer/artifacts").resolve(sha256(over).substring(7))));
        }
    }

    @Test
    void anUploadWithoutTheOperatorTokenIsRefused() throws Exception {
        List<String> before = stored();
        byte[] content = random(1000);
        for (String bearer : new String[] {null, "wrong", f.operatorToken + "x"}) {
            HttpResponse<String> r = f.upload(content, bearer, true);
            assertEquals(401, r.statusCode(), r.body());
            assertEquals("a valid operator bearer token is required", f.read(r.body()).get("error").asText());
            assertEquals(401, f.api("/api/artifacts/" + sha256(content).substring(7), null, bearer).statusCode());
        }
        assertEquals(before, stored());
    }

    @Test
    void commandsNamingAnArtifactNeedAStoredDigest() throws Exception {
        f.enrol("art-cmd");
        String unknown = "sha256:" + "ab".repeat(32);
        for (String type : new String[] {"fetch-artifact", "install-bundle", "apply-patch"}) {
            assertRefused(type, "{\"digest\":\"" + unknown + "\"}", "args.digest: artifact " + unknown
                    + " is not stored on this Mixer; upload it first with POST /api/artifacts");
            assertRefused(type, "{}", "args.digest: required for " + type);
            assertRefused(type, "{\"digest\":\"sha256:" + "AB".repeat(32) + "\"}", "args.digest: 'sha256:" + "AB".repeat(32)
                    + "' must be sha256:<64 lower-case hex>");
        }
        byte[] bundle = random(5000);
        String digest = f.read(f.upload(bundle, f.operatorToken, true).body()).get("digest").asText();
        assertRefused("install-bundle", "{\"digest\":\"" + digest + "\",\"name\":\"../evil.jar\"}",
                "args.name: '../evil.jar' must be a plain file name, without '/' or '\\'");
        assertRefused("apply-patch", "{\"digest\":\"" + digest + "\",\"name\":\".hidden.yaml\"}",
                "args.name: '.hidden.yaml' must be a plain file name, not starting with '.'");
        for (String type : new String[] {"fetch-artifact", "install-bundle", "apply-patch"}) {
            HttpResponse<String> r = f.api("/api/racks/art-cmd/commands", "{\"type\":\"" + type + "\",\"args\":{\"digest\":\""
                    + digest + "\",\"name\":\"gear.json-1.0.0.jar\"}}", f.operatorToken);
            assertEquals(201, r.statusCode(), r.body());
            assertEquals("pending", f.read(r.body()).get("state").asText());
        }
        // Types without an artifact are not checked here (the rack decides).
        assertEquals(201, f.api("/api/racks/art-cmd/commands", "{\"type\":\"renew-certificate\"}", f.operatorToken).statusCode());
    }

    private void assertRefused(String type, String args, String reason) throws Exception {
        HttpResponse<String> r = f.api("/api/racks/art-cmd/commands", "{\"type\":\"" + type + "\",\"args\":" + args + "}",
                f.operatorToken);
        assertEquals(400, r.statusCode(), type + " " + args + ": " + r.body());
        assertTrue(f.read(r.body()).get("error").asText().startsWith(reason), r.body());
    }
}
