package io.fluxrig.mixer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.mixer.ca.MixerCa;
import io.fluxrig.mixer.store.RackRecord;
import io.fluxrig.testsupport.Await;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every bad-certificate case on the Snake's mTLS endpoint, refused with its reason. */
class SnakeRefusalTest {
    @RegisterExtension
    static final SharedMixer MIXER = new SharedMixer();
    static MixerFixture f;

    private HttpResponse<String> heartbeat(SSLContext ctx) throws Exception {
        return MixerFixture.client(ctx).send(HttpRequest.newBuilder(URI.create("https://" + f.snake() + "/snake/heartbeat"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"heartbeatMillis\":5000}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A raw TLS 1.3 exchange; returns the first response line, or throws what the server's alert says. */
    private String raw(SSLContext ctx, String protocol) throws IOException {
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", f.mixer.snakePort())) {
            s.setEnabledProtocols(new String[] {protocol});
            s.setSoTimeout(20_000);
            s.startHandshake();
            s.getOutputStream().write(("POST /snake/heartbeat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n"
                    + "Connection: close\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            byte[] b = s.getInputStream().readNBytes(12);
            return new String(b, StandardCharsets.US_ASCII);
        }
    }

    /**
     * A TLS 1.3 handshake the server refuses with an alert. The client writes its certificate and
     * Finished while the server, having already refused the certificate, sends the alert and
     * closes: under load the client's write can hit the closed socket first (broken pipe, reset)
     * and the alert is never read. Every attempt must fail; the first alert read is returned.
     */
    private SSLException refusedHandshake(SSLContext ctx) {
        java.net.SocketException lost = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                String reply = raw(ctx, "TLSv1.3");
                throw new AssertionError("the handshake was accepted: " + reply);
            } catch (SSLException alert) {
                return alert;
            } catch (java.net.SocketException e) {
                lost = e; // refused too, but the alert lost the race: try again to read the reason
            } catch (IOException e) {
                throw new AssertionError("unexpected failure", e);
            }
        }
        throw new AssertionError("no attempt read the server's alert", lost);
    }

    @Test
    void theSnakeSpeaksHttp2AndRefusesAHeartbeatWithoutClientCertificate() throws Exception {
        HttpResponse<String> r = heartbeat(TestPki.context(f.mixer.ca().certificate(), null));
        assertEquals(HttpClient.Version.HTTP_2, r.version());
        assertEquals(401, r.statusCode());
        assertEquals("client certificate required", f.read(r.body()).get("error").asText());
    }

    @Test
    void aCertificateFromAnotherCaIsRefusedInTheHandshake() throws Exception {
        MixerCa other = MixerCa.loadOrCreate(f.dir.resolve("other-ca"), new SecureRandom());
        KeyPair kp = TestPki.ecKey();
        X509Certificate c = other.issueRack(TestPki.csr("edge-x", kp), null, Instant.now(), Duration.ofDays(1));
        SSLContext ctx = TestPki.context(f.mixer.ca().certificate(), kp.getPrivate(), c);
        SSLException e = refusedHandshake(ctx);
        assertTrue(e.getMessage().contains("certificate_unknown") || e.getMessage().contains("bad_certificate"), e.getMessage());
    }

    @Test
    void anExpiredCertificateIsRefusedInTheHandshake() throws Exception {
        KeyPair kp = TestPki.ecKey();
        X509Certificate c = f.mixer.ca().issueRack(TestPki.csr("edge-old", kp), null,
                Instant.now().minus(Duration.ofDays(40)), Duration.ofDays(30));
        SSLContext ctx = TestPki.context(f.mixer.ca().certificate(), kp.getPrivate(), c, f.mixer.ca().certificate());
        SSLException e = refusedHandshake(ctx);
        // JDK 17 answers every refused client certificate in TLS 1.3 with this alert.
        assertTrue(e.getMessage().contains("certificate_unknown"), e.getMessage());

        // The rack knows why before it dials: an expired stored certificate is reported as such.
        Path dir = f.dir.resolve("racks/edge-old/snake");
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Files.writeString(dir.resolve("rack.key"), io.fluxrig.snake.api.tls.Pem.encode("PRIVATE KEY", kp.getPrivate().getEncoded()));
        java.nio.file.Files.writeString(dir.resolve("rack.crt"), io.fluxrig.snake.api.tls.Pem.certificates(c, f.mixer.ca().certificate()));
        java.nio.file.Files.writeString(dir.resolve("ca.crt"), io.fluxrig.snake.api.tls.Pem.certificates(f.mixer.ca().certificate()));
        try (FakeRack snake = f.start("edge-old", dir, 50)) {
            Await.until("the rack disconnected", () -> snake.state().startsWith("disconnected:"), MixerFixture.PATIENCE);
            assertTrue(snake.state().contains("the rack certificate expired at"), snake.state());
        }
    }

    @Test
    void aTls12ClientIsRefused() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLSv1.2");
        ctx.init(null, TestPki.trust(f.mixer.ca().certificate()), new SecureRandom());
        SSLException e = assertThrows(SSLException.class, () -> raw(ctx, "TLSv1.2"));
        assertTrue(e.getMessage().contains("protocol_version") || e.getMessage().contains("handshake_failure"), e.getMessage());
    }

    @Test
    void aValidCertificateOfAnUnregisteredRackIsRefused() throws Exception {
        KeyPair kp = TestPki.ecKey();
        X509Certificate c = f.mixer.ca().issueRack(TestPki.csr("ghost", kp), null, Instant.now(), Duration.ofDays(1));
        HttpResponse<String> r = heartbeat(TestPki.context(f.mixer.ca().certificate(), kp.getPrivate(), c));
        assertEquals(403, r.statusCode());
        assertEquals("unknown rack 'ghost'", f.read(r.body()).get("error").asText());
    }

    @Test
    void aRevokedRackIsDisconnectedAndRefusedFromThenOn() throws Exception {
        String token = f.mint("edge-r", "1h");
        Path dir = f.dir.resolve("racks/edge-r/snake");
        FakeRack.Identity id = FakeRack.enrol(f.snake(), "edge-r", dir, token, f.mixer.ca().hash());
        try (FakeRack snake = f.start("edge-r", dir, 50)) {
            f.awaitRack("edge-r", r -> RackRecord.ONLINE.equals(r.state()));
            HttpResponse<String> revoke = f.api("/api/racks/edge-r/revoke", "{}", f.operatorToken);
            assertEquals(200, revoke.statusCode(), revoke.body());
            assertEquals(RackRecord.REVOKED, f.read(revoke.body()).get("state").asText());
            Await.until("the rack refused", () -> snake.state().startsWith("refused:"), MixerFixture.PATIENCE);
            assertTrue(snake.state().contains("rack 'edge-r' is revoked"), snake.state());
        }
        HttpResponse<String> r = heartbeat(TestPki.context(f.mixer.ca().certificate(), id.key(), id.chain()));
        assertEquals(403, r.statusCode());
        assertEquals("rack 'edge-r' is revoked", f.read(r.body()).get("error").asText());
        assertEquals(RackRecord.REVOKED, f.mixer.store().racks().get("edge-r").orElseThrow().state());
    }

    @Test
    void aSupersededCertificateIsRefusedAfterReEnrolment() throws Exception {
        Path first = f.dir.resolve("racks/edge-s1/snake");
        FakeRack.Identity old = FakeRack.enrol(f.snake(), "edge-s", first, f.mint("edge-s", "1h"), f.mixer.ca().hash());
        FakeRack.enrol(f.snake(), "edge-s", f.dir.resolve("racks/edge-s2/snake"), f.mint("edge-s", "1h"), f.mixer.ca().hash());
        HttpResponse<String> r = heartbeat(TestPki.context(f.mixer.ca().certificate(), old.key(), old.chain()));
        assertEquals(403, r.statusCode());
        assertTrue(f.read(r.body()).get("error").asText().startsWith("certificate superseded"), r.body());
        assertEquals(Map.of("site", "lab"), f.mixer.store().racks().get("edge-s").orElseThrow().labels());
    }
}
