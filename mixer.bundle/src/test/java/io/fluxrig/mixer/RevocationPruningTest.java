package io.fluxrig.mixer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxrig.mixer.nats.NatsIssuer;
import io.fluxrig.nats.trust.Creds;
import io.fluxrig.nats.trust.Jwt;
import io.fluxrig.nats.trust.NatsTrust;
import io.fluxrig.nats.trust.jnats.CredsAuthHandler;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Revocations in the Mixer's store are dropped once no credential needs them (older than the
 * longest credential the Mixer issues), on a real nats-server with a real Mixer: a revocation made
 * "31 days ago" (by an issuer on the same store with a clock 31 days back) is gone after the next
 * revoke, which keeps its own and still cuts its rack off.
 */
class RevocationPruningTest {
    @RegisterExtension
    static final SharedMixer MIXER = new SharedMixer(); // rack credentials of 30 days
    static MixerFixture f;

    private static Map<String, Long> revocations() throws Exception {
        var e = f.mixer.store().natsBucket().get("revocations");
        return new ObjectMapper().readValue(e.getValue(), new com.fasterxml.jackson.core.type.TypeReference<TreeMap<String, Long>>() { });
    }

    private static String key(Path snakeDir) throws Exception {
        return Jwt.claimsJson(Creds.read(snakeDir.resolve("nats.creds")).jwt()).replaceAll(".*\"sub\":\"(U[A-Z0-9]+)\".*", "$1");
    }

    @Test
    void aRevocationOlderThanTheLongestCredentialIsDroppedAtTheNextChange() throws Exception {
        Path old = f.enrol("old-rack");
        Path recent = f.enrol("recent-rack");
        Clock monthAgo = Clock.offset(Clock.systemUTC(), Duration.ofDays(-31));
        NatsIssuer past = new NatsIssuer(NatsTrust.load(f.dir.resolve("mixer/nats/trust")), f.mixer.store().natsBucket(),
                new String[] {f.nats.url()}, f.dir.resolve("past-system.creds"), new ObjectMapper(), monthAgo, Duration.ofDays(30),
                f.mixer.store().tls());
        assertEquals(1, past.revoke("old-rack"));
        assertEquals(Set.of(key(old)), revocations().keySet());

        assertEquals(200, f.api("/api/racks/recent-rack/revoke", "{}", f.operatorToken).statusCode());
        assertEquals(Set.of(key(recent)), revocations().keySet(), "the month-old revocation is dropped, the new one kept");
        assertTrue(refused(recent.resolve("nats.creds")), "the revoked rack is still refused");
    }

    private static boolean refused(Path creds) {
        try (var c = Nats.connect(new Options.Builder().server(f.nats.url()).sslContext(f.nats.sslContext()).authHandler(new CredsAuthHandler(creds)).noReconnect()
                .errorListener(new io.nats.client.ErrorListener() { }).build())) {
            return false;
        } catch (Exception e) {
            return true;
        }
    }
}
