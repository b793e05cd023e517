package io.fluxrig.mixer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.mixer.store.MixerStore;
import io.fluxrig.mixer.store.RackRecord;
import io.fluxrig.nats.trust.Role;
import io.fluxrig.snake.api.tls.MixerServerCheck;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.StreamConfiguration;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Who may become which rack, against the real Mixer (real nats-server, real TLS): the attacks on
 * enrolment and what stops each. The rack's half (it refuses a rack certificate or a server
 * certificate for another host as the Mixer) is rack.snake's {@code SnakeClientTest}.
 */
class EnrolmentTrustTest {
    @RegisterExtension
    static final SharedMixer MIXER = new SharedMixer();
    static MixerFixture f;

    private FakeRack.Refused enrolRefused(String rack, String token) {
        return assertThrows(FakeRack.Refused.class, () -> FakeRack.enrol(f.snake(), rack,
                f.dir.resolve("racks").resolve(rack + "-" + System.nanoTime()).resolve("snake"), token, f.mixer.ca().hash()));
    }

    /**
     * An enrolment whose registry write NATS refuses after its token was consumed (here the
     * registry bucket's stream takes no message as large as a rack record): nothing is issued and
     * the token is given back, so the rack enrols with it once NATS takes the write, and only once.
     */
    @Test
    void anEnrolmentWhoseRegistryWriteFailsGivesItsTokenBack() throws Exception {
        String token = f.mint("write-fails", "1h");
        FakeRack.Refused failed;
        try (Connection admin = Nats.connect(f.nats.options(Role.MIXER).build())) {
            JetStreamManagement jsm = admin.jetStreamManagement();
            StreamConfiguration before = jsm.getStreamInfo("KV_" + MixerStore.RACKS).getConfiguration();
            jsm.updateStream(StreamConfiguration.builder(before).maxMsgSize(16).build());
            try {
                failed = enrolRefused("write-fails", token);
            } finally {
                jsm.updateStream(before);
            }
        }
        assertEquals(503, failed.status(), failed.getMessage());
        assertTrue(failed.getMessage().contains("nothing was issued, and the token can be used again"), failed.getMessage());
        assertTrue(f.mixer.store().racks().get("write-fails").isEmpty(), "nothing registered");

        FakeRack.enrol(f.snake(), "write-fails", f.dir.resolve("racks").resolve("write-fails").resolve("snake"), token,
                f.mixer.ca().hash());
        assertEquals(RackRecord.PENDING, f.mixer.store().racks().get("write-fails").orElseThrow().state());
        FakeRack.Refused again = enrolRefused("write-fails", token);
        assertEquals(401, again.status(), again.getMessage());
        assertTrue(again.getMessage().contains("token already used"), again.getMessage());
    }

    @Test
    void aGenuineRackCertificateCanNeverServeAsTheMixer() throws Exception {
        KeyPair kp = TestPki.ecKey();
        X509Certificate rack = f.mixer.ca().issueRack(TestPki.csr("edge-c", kp), null, Instant.now(), Duration.ofDays(1));
        assertEquals(List.of("1.3.6.1.5.5.7.3.2"), rack.getExtendedKeyUsage(), "clientAuth only");
        assertNull(rack.getSubjectAlternativeNames(), "no SAN: a rack certificate names no host");
        CertificateException e = assertThrows(CertificateException.class, () -> MixerServerCheck.check(rack, "edge-c"));
        assertTrue(e.getMessage().contains("lacks serverAuth"), e.getMessage());
    }

    @Test
    void aTokenForARackNamedLikeAMixerHostIsNotMinted() throws Exception {
        for (String name : new String[] {"localhost"}) {
            HttpResponse<String> r = f.api("/api/tokens", "{\"rack\":\"" + name + "\"}", f.operatorToken);
            assertEquals(400, r.statusCode(), r.body());
            String why = f.read(r.body()).get("error").asText();
            assertTrue(why.contains("is a host name the Mixer answers to") && why.contains("[localhost, 127.0.0.1]"), why);
        }
    }

    @Test
    void anUnboundTokenCannotEnrolARackNamedLikeAMixerHost() throws Exception {
        String token = f.mint(null, "1h");
        FakeRack.Refused r = enrolRefused("localhost", token);
        assertEquals(400, r.status(), r.getMessage());
        assertTrue(r.getMessage().contains("rack name 'localhost' is a host name the Mixer answers to"), r.getMessage());
        assertTrue(f.mixer.store().racks().get("localhost").isEmpty());
        // Nothing was spent: the token still enrols a proper name.
        FakeRack.enrol(f.snake(), "edge-after-host", f.dir.resolve("racks/edge-after-host/snake"), token, f.mixer.ca().hash());
    }

    @Test
    void aRevokedRackNeedsATokenBoundToItsNameToEnrolAgain() throws Exception {
        FakeRack.enrol(f.snake(), "edge-rv", f.dir.resolve("racks/edge-rv/snake"), f.mint("edge-rv", "1h"), f.mixer.ca().hash());
        assertEquals(200, f.api("/api/racks/edge-rv/revoke", "{}", f.operatorToken).statusCode());
        FakeRack.Refused r = enrolRefused("edge-rv", f.mint(null, "1h"));
        assertEquals(403, r.status(), r.getMessage());
        assertTrue(r.getMessage().contains("rack 'edge-rv' is revoked: only a token minted for that rack name enrols it again"),
                r.getMessage());
        assertEquals(RackRecord.REVOKED, f.mixer.store().racks().get("edge-rv").orElseThrow().state());
        FakeRack.enrol(f.snake(), "edge-rv", f.dir.resolve("racks/edge-rv2/snake"), f.mint("edge-rv", "1h"), f.mixer.ca().hash());
        assertEquals(RackRecord.PENDING, f.mixer.store().racks().get("edge-rv").orElseThrow().state());
    }

    @Test
    void twoUnboundTokensEnrollingOneNewNameAtOnceExactlyOneWins() throws Exception {
        int n = 4; // the Snake serves 4 requests without a client certificate per address at once
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tokens.add(f.mint(null, "1h"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                String token = tokens.get(i);
                Path dir = f.dir.resolve("racks/edge-race-" + i + "/snake");
                Callable<String> enrol = () -> {
                    go.await();
                    try {
                        return "enrolled serial " + FakeRack.enrol(f.snake(), "edge-race", dir, token, f.mixer.ca().hash())
                                .leaf().getSerialNumber().toString(16);
                    } catch (FakeRack.Refused r) {
                        return r.status() + " " + r.getMessage();
                    }
                };
                outcomes.add(pool.submit(enrol));
            }
            go.countDown();
            List<String> won = new ArrayList<>();
            for (Future<String> o : outcomes) {
                String s = o.get();
                if (s.startsWith("enrolled")) {
                    won.add(s);
                } else {
                    // Either it saw the winner's record, or it lost the registry's compare-and-set.
                    assertTrue(s.startsWith("400 ") && s.contains("rack 'edge-race' is already enrolled")
                            || s.startsWith("409 ") && s.contains("was enrolled by another request at the same time"), s);
                }
            }
            assertEquals(1, won.size(), "exactly one enrolment of the name wins: " + won);
            String serial = won.get(0).substring("enrolled serial ".length());
            assertEquals(serial, f.mixer.store().racks().get("edge-race").orElseThrow().certSerial(),
                    "the registry holds the winner's certificate");
        } finally {
            pool.shutdownNow();
        }
        assertFalse(f.mixer.store().racks().get("edge-race").isEmpty());
    }
}
