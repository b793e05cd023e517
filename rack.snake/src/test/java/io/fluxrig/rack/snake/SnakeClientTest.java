package io.fluxrig.rack.snake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.rack.spi.Deployer;
import io.fluxrig.snake.api.Command;
import io.fluxrig.snake.api.CommandResult;
import io.fluxrig.snake.api.Heartbeat;
import io.fluxrig.snake.api.tls.Pem;
import io.fluxrig.testsupport.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rack's Snake client (enrolment, heartbeats, refusals, the command stream with its ledger,
 * verified artifact fetches) against {@link FakeMixer}, a Mixer built on the contract alone. The
 * Mixer's own tests drive the real Mixer with a fake rack; this is the other half.
 */
class SnakeClientTest {
    @TempDir
    Path tmp;
    FakeMixer mixer;

    @BeforeEach
    void start() throws Exception {
        mixer = new FakeMixer();
    }

    @AfterEach
    void stop() {
        mixer.close();
    }

    private Path enrolled(String rack) throws Exception {
        Path dir = tmp.resolve(rack).resolve("snake");
        mixer.tokens.put("token-" + rack, rack);
        new Enroller(mixer.address(), rack, dir, new SecureRandom()).enrol("token-" + rack, mixer.caHash());
        return dir;
    }

    private Snake snake(String rack, Path dir) {
        return snake(rack, dir, null);
    }

    private Snake snake(String rack, Path dir, Deployer deployer) {
        SnakeSettings s = new SnakeSettings(mixer.address(), null, null, rack, dir, 50, 200);
        Snake snake = new Snake(s, () -> new Heartbeat(50, Map.of("fluxrig", "1.0.0"), null), new SecureRandom(), deployer);
        snake.start();
        return snake;
    }

    private CommandResult result(String id) throws InterruptedException {
        Await.until("the result of " + id, () -> mixer.results.stream().anyMatch(r -> r.id().equals(id)));
        return mixer.results.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void enrolsTrustingOnlyThePinnedCaThenHeartbeats() throws Exception {
        Path dir = enrolled("edge-1");
        SnakeIdentity id = SnakeIdentity.load(dir);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("rack.key"))));
        assertEquals("CN=edge-1", id.chain()[0].getSubjectX500Principal().getName());
        assertEquals(mixer.ca, id.ca());
        try (Snake snake = snake("edge-1", dir)) {
            Await.until("three heartbeats", () -> mixer.heartbeats.size() >= 3);
            Await.until("online", () -> "online".equals(snake.state()));
            assertEquals(Map.of("fluxrig", "1.0.0"), mixer.heartbeats.get(0).versions());
            assertEquals(50, mixer.heartbeats.get(0).heartbeatMillis());
        }
    }

    @Test
    void theNatsCredentialIsMadeOnTheRackAndStoredWithTheMixersJwt() throws Exception {
        io.fluxrig.nats.trust.NatsTrust trust = io.fluxrig.nats.trust.NatsTrust.loadOrCreate(tmp.resolve("nats-trust"));
        mixer.natsSigner = (rack, key) -> trust.userJwt(io.fluxrig.nats.trust.Role.RACK, rack, key, null);
        try {
            Path dir = enrolled("edge-n");
            Path file = dir.resolve(NatsCredential.FILE);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            io.fluxrig.nats.trust.Creds creds = io.fluxrig.nats.trust.Creds.read(file);
            String key = io.fluxrig.nats.trust.NKeyPair.fromSeed(new String(creds.seed())).publicKey();
            String claims = io.fluxrig.nats.trust.Jwt.claimsJson(creds.jwt());
            assertTrue(claims.contains("\"sub\":\"" + key + "\"") && claims.contains("\"name\":\"edge-n\""), claims);

            // A JWT for a key the rack did not make is refused, and nothing is stored.
            String stranger = io.fluxrig.nats.trust.NKeyPair.generate(io.fluxrig.nats.trust.NKeyPair.Type.USER).publicKey();
            mixer.natsSigner = (rack, k) -> trust.userJwt(io.fluxrig.nats.trust.Role.RACK, rack, stranger, null);
            mixer.tokens.put("token-edge-x", "edge-x");
            Path other = tmp.resolve("edge-x/snake");
            Files.createDirectories(other);
            SnakeException e = assertThrows(SnakeException.class,
                    () -> new Enroller(mixer.address(), "edge-x", other, new SecureRandom()).enrol("token-edge-x", mixer.caHash()));
            assertTrue(e.getMessage().contains("NATS credential for another key"), e.getMessage());
            assertFalse(Files.exists(other.resolve(NatsCredential.FILE)));
        } finally {
            mixer.natsSigner = null;
        }
    }

    @Test
    void enrolsAtFirstStartWithTheTokenFromItsFile() throws Exception {
        Path dir = tmp.resolve("edge-t/snake");
        Path tokenFile = tmp.resolve("edge-t/enrol.token");
        Files.createDirectories(tokenFile.getParent());
        Files.writeString(tokenFile, "token-edge-t\n");
        mixer.tokens.put("token-edge-t", "edge-t");
        SnakeSettings s = new SnakeSettings(mixer.address(), tokenFile, mixer.caHash(), "edge-t", dir, 50, 200);
        try (Snake snake = new Snake(s, () -> new Heartbeat(50, Map.of(), null), new SecureRandom())) {
            snake.start();
            Await.until("online", () -> "online".equals(snake.state()));
            assertEquals("CN=edge-t", SnakeIdentity.load(dir).chain()[0].getSubjectX500Principal().getName());
            assertFalse(mixer.tokens.containsKey("token-edge-t"), "the token was used");
        }
        // Without an identity and without a token file, the state says what is missing.
        SnakeSettings none = new SnakeSettings(mixer.address(), null, null, "edge-u", tmp.resolve("edge-u/snake"), 50, 200);
        try (Snake snake = new Snake(none, () -> new Heartbeat(50, Map.of(), null), new SecureRandom())) {
            snake.start();
            Await.until("disconnected", () -> snake.state().startsWith("disconnected:"));
            assertTrue(snake.state().contains("not enrolled: configure io.fluxrig.rack.snake with token.file and ca.hash"),
                    snake.state());
        }
    }

    @Test
    void aWrongCaHashOrAnUnknownTokenIsRefusedAndAWrongHashBeforeAKeyIsMade() throws Exception {
        Path dir = tmp.resolve("edge-2/snake");
        mixer.tokens.put("t", "edge-2");
        SnakeException wrong = assertThrows(SnakeException.class, () -> new Enroller(mixer.address(), "edge-2", dir,
                new SecureRandom()).enrol("t", "sha256:" + "0".repeat(64)));
        assertTrue(wrong.getMessage().contains("Mixer CA hash mismatch"), wrong.getMessage());
        assertFalse(Files.exists(dir.resolve("rack.key")), "no key made, no CSR sent");
        SnakeException unknown = assertThrows(SnakeException.class, () -> new Enroller(mixer.address(), "edge-2", dir,
                new SecureRandom()).enrol("nope", mixer.caHash()));
        assertTrue(unknown.getMessage().contains("the Mixer refused enrolment (401): unknown token"), unknown.getMessage());
    }

    @Test
    void aRackCertificatePresentedAsTheMixerIsRefusedAtEnrolment() throws Exception {
        // The attack: a rack enrolled under the name "localhost" holds a genuine certificate of the
        // Mixer CA (CN=localhost, no SAN) and serves it to racks that dial localhost, to collect
        // their tokens. The chain ends at the pinned CA and the JDK's CN fallback matches.
        try (FakeMixer impostor = new FakeMixer(FakeMixer.Serving.RACK_CERTIFICATE_NAMED_LOCALHOST)) {
            impostor.tokens.put("victim-token", "edge-v");
            Path dir = tmp.resolve("edge-v/snake");
            for (String address : new String[] {impostor.addressByName(), impostor.address()}) {
                SnakeException refused = assertThrows(SnakeException.class, () -> new Enroller(address, "edge-v", dir,
                        new SecureRandom()).enrol("victim-token", impostor.caHash()));
                assertTrue(refused.getMessage().contains("is not a TLS server certificate")
                        && refused.getMessage().contains("lacks serverAuth"), refused.getMessage());
            }
            assertTrue(impostor.tokens.containsKey("victim-token"), "the token never reached the impostor");
            assertEquals(0, impostor.issued.get());
        }
    }

    @Test
    void aServerCertificateWithoutASanForTheDialledAddressIsRefused() throws Exception {
        try (FakeMixer elsewhere = new FakeMixer(FakeMixer.Serving.SERVER_CERTIFICATE_FOR_ANOTHER_HOST)) {
            elsewhere.tokens.put("t", "edge-w");
            Path dir = tmp.resolve("edge-w/snake");
            SnakeException byName = assertThrows(SnakeException.class, () -> new Enroller(elsewhere.addressByName(), "edge-w",
                    dir, new SecureRandom()).enrol("t", elsewhere.caHash()));
            assertTrue(byName.getMessage().contains("no subject alternative name for the dialled host localhost")
                    && byName.getMessage().contains("mixer.elsewhere.example"), byName.getMessage());
            SnakeException byIp = assertThrows(SnakeException.class, () -> new Enroller(elsewhere.address(), "edge-w",
                    dir, new SecureRandom()).enrol("t", elsewhere.caHash()));
            assertTrue(byIp.getMessage().contains("no subject alternative name for the dialled IP address 127.0.0.1"),
                    byIp.getMessage());
            assertTrue(elsewhere.tokens.containsKey("t"), "the token never reached the server");
        }
        // The genuine profile is accepted by host name as well as by IP (the fixture's own Mixer).
        mixer.tokens.put("by-name", "edge-n");
        new Enroller(mixer.addressByName(), "edge-n", tmp.resolve("edge-n/snake"), new SecureRandom())
                .enrol("by-name", mixer.caHash());
    }

    @Test
    void aMixerSuppliedReasonWithNewlinesAndAnsiEscapesIsLoggedAsOneEscapedLine() throws Exception {
        Path dir = enrolled("edge-l");
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try (Snake snake = snake("edge-l", dir)) {
            Await.until("online", () -> "online".equals(snake.state()));
            mixer.heartbeatRefusal = new FakeMixer.ErrorAnswer(403, "no\n[main] INFO io.fluxrig.rack.snake.Snake - rack edge-l "
                    + "enrolled\u001b[2K");
            Await.until("refused", () -> snake.state().startsWith("refused:"));
            Await.until("the refusal logged", () -> captured.toString(java.nio.charset.StandardCharsets.UTF_8).contains("(403): no"));
        } finally {
            System.setErr(err);
        }
        java.util.List<String> lines = captured.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        java.util.List<String> refusal = lines.stream().filter(l -> l.contains("(403): no")).toList();
        assertEquals(1, refusal.size(), "one line: " + lines);
        assertTrue(refusal.get(0).contains("(403): no\\n[main] INFO io.fluxrig.rack.snake.Snake - rack edge-l enrolled\\u001b[2K"),
                refusal.get(0));
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("[main] INFO io.fluxrig.rack.snake.Snake - rack edge-l enrolled")),
                "no forged line: " + lines);
        assertTrue(lines.stream().noneMatch(l -> l.indexOf('\u001b') >= 0), "no terminal escape: " + lines);
    }

    @Test
    void refusalsAndOutagesShowInTheStateAndTheRackRecovers() throws Exception {
        Path dir = enrolled("edge-3");
        try (Snake snake = snake("edge-3", dir)) {
            Await.until("online", () -> "online".equals(snake.state()));
            mixer.heartbeatRefusal = new FakeMixer.ErrorAnswer(403, "rack 'edge-3' is revoked");
            Await.until("refused", () -> snake.state().startsWith("refused:"));
            assertTrue(snake.state().contains("(403): rack 'edge-3' is revoked"), snake.state());
            mixer.heartbeatRefusal = new FakeMixer.ErrorAnswer(503, "the Mixer's registry is unavailable: NATS down");
            Await.until("disconnected", () -> snake.state().startsWith("disconnected:"));
            assertTrue(snake.state().contains("(503): the Mixer's registry is unavailable"), snake.state());
            mixer.heartbeatRefusal = null;
            Await.until("online again", () -> "online".equals(snake.state()));
            assertTrue(snake.heartbeatFailures() >= 2, "failures: " + snake.heartbeatFailures());
        }
    }

    @Test
    void commandsRunOnceAndAnUnknownTypeIsRefused() throws Exception {
        Path dir = enrolled("edge-4");
        java.util.List<String> deployed = new java.util.concurrent.CopyOnWriteArrayList<>();
        Deployer deployer = new Deployer() {
            @Override
            public String installBundle(Path artifact, String label) {
                deployed.add(label);
                return "installed " + label;
            }

            @Override
            public String applyPatch(Path artifact, String label) {
                deployed.add(label);
                return "applied " + label;
            }

            @Override
            public String restoreBundle(String digest, String label) {
                deployed.add("restore " + label);
                return "restored before " + label;
            }

            @Override
            public String restorePatch(String digest, String label) {
                deployed.add("restore patch " + digest + " " + label);
                return "restored the patch before " + label;
            }
        };
        try (Snake snake = snake("edge-4", dir, deployer)) {
            mixer.queue(new Command("c1", "reboot-now", Map.of()));
            CommandResult unknown = result("c1");
            assertEquals(CommandResult.REFUSED, unknown.status());
            assertTrue(unknown.detail().startsWith("unknown command type 'reboot-now' (this rack knows renew-certificate, "
                    + "fetch-artifact, install-bundle, apply-patch, preflight-bundle, restore-bundle, restore-patch)"), unknown.detail());

            int before = mixer.issued.get();
            mixer.queue(new Command("c2", "renew-certificate", Map.of()));
            CommandResult renewed = result("c2");
            assertEquals(CommandResult.DONE, renewed.status(), renewed.detail());
            assertEquals(before + 1, mixer.issued.get());
            String serial = SnakeIdentity.load(dir).chain()[0].getSerialNumber().toString(16);
            assertTrue(renewed.detail().contains("serial " + serial), renewed.detail());

            // Delivered again (its result was doubted): answered from the ledger, not renewed twice.
            mixer.queue(new Command("c2", "renew-certificate", Map.of()));
            Await.until("the second report", () -> mixer.results.stream().filter(r -> r.id().equals("c2")).count() == 2);
            assertEquals(renewed, mixer.results.stream().filter(r -> r.id().equals("c2")).skip(1).findFirst().orElseThrow());
            assertEquals(before + 1, mixer.issued.get(), "renewed exactly once");
            assertEquals(1, Files.readAllLines(dir.resolve("commands.log")).stream().filter(l -> l.contains("\"c2\"")).count());

            mixer.queue(new Command("c3", "install-bundle", Map.of("digest", "sha256:" + "ab".repeat(32), "name", "../x.jar")));
            CommandResult bad = result("c3");
            assertEquals(CommandResult.REFUSED, bad.status());
            assertEquals("install-bundle: args.name: '../x.jar' must be a plain file name, without '/' or '\\'", bad.detail());
            assertEquals(java.util.List.of(), deployed, "refused before fetching or deploying");

            // restore-patch goes to the deployer's patch restore, with nothing fetched.
            String patch = "sha256:" + "cd".repeat(32);
            mixer.queue(new Command("c4", "restore-patch", Map.of("digest", patch, "name", "flow.yaml")));
            CommandResult restored = result("c4");
            assertEquals(CommandResult.DONE, restored.status(), restored.detail());
            assertEquals("restored the patch before flow.yaml sha256:cdcdcdcdcdcd..", restored.detail());
            assertEquals(java.util.List.of("restore patch " + patch + " flow.yaml sha256:cdcdcdcdcdcd.."), deployed);
        }
    }

    @Test
    void fetchedArtifactsAreVerifiedAndOnlyKeptWhenTheDigestMatches() throws Exception {
        byte[] content = new byte[300_000];
        new SecureRandom().nextBytes(content);
        String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        mixer.artifacts.put(hex, content);
        String liar = "cd".repeat(32);
        mixer.artifacts.put(liar, new byte[] {1, 2, 3});
        Path dir = enrolled("edge-5");
        Path artifacts = dir.resolveSibling("artifacts");
        try (Snake snake = snake("edge-5", dir)) {
            mixer.queue(new Command("f1", "fetch-artifact", Map.of("digest", "sha256:" + hex)));
            assertEquals(CommandResult.DONE, result("f1").status(), result("f1").detail());
            assertTrue(java.util.Arrays.equals(content, Files.readAllBytes(artifacts.resolve(hex))));

            mixer.queue(new Command("f2", "fetch-artifact", Map.of("digest", "sha256:" + liar)));
            CommandResult mismatch = result("f2");
            assertEquals(CommandResult.FAILED, mismatch.status());
            assertTrue(mismatch.detail().contains("digest mismatch"), mismatch.detail());
            assertFalse(Files.exists(artifacts.resolve(liar)), "an unverified artifact is never kept");

            String missing = "ef".repeat(32);
            mixer.queue(new Command("f3", "fetch-artifact", Map.of("digest", "sha256:" + missing)));
            assertTrue(result("f3").detail().contains("(404): no artifact sha256:" + missing), result("f3").detail());

            mixer.queue(new Command("f4", "fetch-artifact", Map.of("digest", "md5:x")));
            assertTrue(result("f4").detail().startsWith("argument 'digest' must be sha256:"), result("f4").detail());
        }
    }

    @Test
    void anExpiredStoredCertificateIsReportedAsSuchBeforeDialling() throws Exception {
        KeyPair kp = FakeMixer.ecKey();
        X509Certificate c = mixer.certificate("CN=edge-old", kp.getPublic(), Instant.now().minus(Duration.ofDays(40)),
                Duration.ofDays(30), false, false);
        Path dir = tmp.resolve("edge-old/snake");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("rack.key"), Pem.encode("PRIVATE KEY", kp.getPrivate().getEncoded()));
        Files.writeString(dir.resolve("rack.crt"), Pem.certificates(c, mixer.ca));
        Files.writeString(dir.resolve("ca.crt"), Pem.certificates(mixer.ca));
        try (Snake snake = snake("edge-old", dir)) {
            Await.until("disconnected", () -> snake.state().startsWith("disconnected:"));
            assertTrue(snake.state().contains("the rack certificate expired at"), snake.state());
            assertEquals(0, mixer.heartbeats.size());
        }
    }
}
