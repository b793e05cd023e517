package io.fluxrig.mixer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.mixer.http.SnakeObserver;
import io.fluxrig.mixer.store.RackRecord;
import io.fluxrig.testsupport.Await;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Certificate renewal over the Snake with rack certificates that live 8 seconds, so that a
 * renewal (at 67 % of the lifetime) and the first certificate's expiry both happen in the test.
 */
class SnakeRenewalTest {
    private static final Duration LIFETIME = Duration.ofSeconds(8);
    @RegisterExtension
    static final SharedMixer MIXER = new SharedMixer(dir -> new MixerFixture(dir, LIFETIME, SnakeObserver.NONE));
    static MixerFixture f;

    private static String serial(X509Certificate c) {
        return c.getSerialNumber().toString(16);
    }

    private HttpResponse<String> post(SSLContext ctx, String path, String body) throws Exception {
        return MixerFixture.client(ctx).send(HttpRequest.newBuilder(URI.create("https://" + f.snake() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theRackRenewsBeforeExpiryWithoutAFailedHeartbeatAndUsesTheRenewedCertificateAfterARestart() throws Exception {
        Path dir = f.enrol("edge-renew");
        FakeRack.Identity first = FakeRack.load(dir);
        try (FakeRack snake = f.start("edge-renew", dir, 100)) {
            RackRecord renewed = f.awaitRack("edge-renew", r -> !r.certSerial().equals(serial(first.chain()[0]))
                    && r.previousSerial() == null && RackRecord.ONLINE.equals(r.state()));
            FakeRack.Identity second = FakeRack.load(dir);
            assertEquals(renewed.certSerial(), serial(second.chain()[0]), "the rack stored what the Mixer issued");
            assertTrue(second.chain()[0].getNotAfter().after(first.chain()[0].getNotAfter()));
            assertTrue(Instant.now().isBefore(first.chain()[0].getNotAfter().toInstant()), "renewed before expiry");
            assertNotEquals(first.key(), second.key(), "a new key, made on the rack");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("rack.key"))));
            assertTrue(Files.list(dir).noneMatch(p -> p.toString().endsWith(".next") || p.toString().endsWith(".tmp")));
            // Keep going past the first certificate's expiry: heartbeats go on.
            Await.until("the first certificate expires",
                    () -> Instant.now().isAfter(first.chain()[0].getNotAfter().toInstant().plusSeconds(1)), MixerFixture.PATIENCE);
            assertEquals(0, snake.heartbeatFailures(), "no heartbeat failed across the renewal");
            assertTrue(snake.heartbeats() > 20, "heartbeats: " + snake.heartbeats());
        }
        // The first certificate has expired: it is refused (in the TLS handshake).
        SSLContext expired = TestPki.context(f.mixer.ca().certificate(), first.key(), first.chain());
        assertThrows(IOException.class, () -> post(expired, "/snake/heartbeat", "{}"));

        // A restart uses the stored, renewed certificate.
        FakeRack.Identity stored = FakeRack.load(dir);
        assertTrue(f.mixer.store().racks().get("edge-renew").orElseThrow().accepts(serial(stored.chain()[0])));
        try (FakeRack again = f.start("edge-renew", dir, 100)) {
            Await.until("three heartbeats after the restart", () -> again.heartbeats() >= 3, MixerFixture.PATIENCE);
            assertEquals(0, again.heartbeatFailures());
            assertEquals("online", again.state());
        }
    }

    @Test
    void thePreviousCertificateIsAcceptedUntilTheRenewedOneIsFirstSeen() throws Exception {
        Path dir = f.enrol("edge-switch");
        FakeRack.Identity old = FakeRack.load(dir);
        SSLContext oldCtx = TestPki.context(f.mixer.ca().certificate(), old.key(), old.chain());
        KeyPair kp = TestPki.ecKey();
        HttpResponse<String> r = post(oldCtx, "/snake/renew", "{\"csr\":" + f.json.writeValueAsString(TestPki.csr("edge-switch", kp)) + "}");
        assertEquals(200, r.statusCode(), r.body());
        X509Certificate renewed = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(f.read(r.body()).get("certificate").asText().getBytes(StandardCharsets.US_ASCII)));
        RackRecord during = f.mixer.store().racks().get("edge-switch").orElseThrow();
        assertEquals(serial(renewed), during.certSerial());
        assertEquals(serial(old.chain()[0]), during.previousSerial());

        // The answer may not have reached the rack: the old certificate still works...
        assertEquals(200, post(oldCtx, "/snake/heartbeat", "{}").statusCode());
        // ...until the new one is used once; from then on the old one is superseded.
        SSLContext newCtx = TestPki.context(f.mixer.ca().certificate(), kp.getPrivate(), renewed, f.mixer.ca().certificate());
        assertEquals(200, post(newCtx, "/snake/heartbeat", "{}").statusCode());
        assertNull(f.mixer.store().racks().get("edge-switch").orElseThrow().previousSerial());
        HttpResponse<String> refused = post(oldCtx, "/snake/heartbeat", "{}");
        assertEquals(403, refused.statusCode());
        assertTrue(f.read(refused.body()).get("error").asText().startsWith("certificate superseded"), refused.body());
    }

    @Test
    void aRenewalForAnotherNameIsRefused() throws Exception {
        Path dir = f.enrol("edge-name");
        FakeRack.Identity id = FakeRack.load(dir);
        HttpResponse<String> r = post(TestPki.context(f.mixer.ca().certificate(), id.key(), id.chain()), "/snake/renew",
                "{\"csr\":" + f.json.writeValueAsString(TestPki.csr("someone-else", TestPki.ecKey())) + "}");
        assertEquals(400, r.statusCode());
        assertTrue(f.read(r.body()).get("error").asText().startsWith("name mismatch"), r.body());
    }
}
