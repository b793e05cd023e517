package io.fluxrig.mixer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.mixer.nats.RevocationKeeper;
import io.fluxrig.nats.trust.Creds;
import io.fluxrig.nats.trust.Jwt;
import io.fluxrig.nats.trust.NatsTrust;
import io.fluxrig.nats.trust.jnats.CredsAuthHandler;
import io.fluxrig.testsupport.Await;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Mixer as the signer of rack NATS credentials, on a real nats-server in operator mode: the
 * rack's key is made on the rack, the Mixer signs a user JWT of the wires account expiring with
 * the certificate, a renewal brings a new one, and a revoke cuts the rack's NATS access.
 */
class RackNatsCredentialTest {
    /** How long the servers may take to close a revoked rack's connection: N in "cut off within N seconds". */
    private static final Duration CUT_OFF = Duration.ofSeconds(10);

    @RegisterExtension
    static final SharedMixer MIXER = new SharedMixer();
    static MixerFixture f;

    private void assertRefused(Path creds) {
        IOException refused = assertThrows(IOException.class, () -> Nats.connect(options(creds).noReconnect().build()));
        String why = refused.getMessage().toLowerCase(Locale.ROOT);
        assertTrue(why.contains("authorization") || why.contains("revoked"), refused.getMessage());
    }

    private boolean refused(Path creds) {
        try (Connection c = Nats.connect(options(creds).noReconnect().build())) {
            return false;
        } catch (IOException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int outages() {
        return ((Number) f.mixer.health().get("outages")).intValue();
    }

    /** The Mixer's view of the servers' revocations, as its health data shows it. */
    @SuppressWarnings("unchecked")
    private static RevocationKeeper.Status revocations() {
        Map<String, Object> m = (Map<String, Object>) f.mixer.health().get("natsRevocations");
        Object at = m.get("checkedAt");
        return new RevocationKeeper.Status(((Number) m.get("revocations")).intValue(), Boolean.TRUE.equals(m.get("held")),
                at == null ? null : Instant.parse((String) at), ((Number) m.get("pushedAgain")).longValue(),
                (String) m.get("failure"));
    }

    private Options.Builder options(Path creds) {
        return new Options.Builder().server(f.nats.url()).sslContext(f.nats.sslContext()).authHandler(new CredsAuthHandler(creds))
                .errorListener(new io.nats.client.ErrorListener() { });
    }

    @Test
    void enrolmentAndRenewalIssueTheRacksOwnNatsCredentialTiedToItsCertificate() throws Exception {
        Path dir = f.enrol("lab");
        Path creds = dir.resolve("nats.creds");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(creds)));
        String jwt = Creds.read(creds).jwt();
        X509Certificate cert = FakeRack.load(dir).chain()[0];
        String claims = Jwt.claimsJson(jwt);
        assertTrue(claims.contains("\"exp\":" + cert.getNotAfter().toInstant().getEpochSecond()), "expires with the certificate: " + claims);
        assertTrue(claims.contains("\"name\":\"lab\""), claims);
        assertTrue(Jwt.signedBy(jwt, f.nats.trust().accountSigningKey(NatsTrust.Account.WIRES)), "signed by the wires account's signing key");
        assertTrue(claims.contains("\"issuer_account\":\"" + f.nats.trust().accountPublicKey(NatsTrust.Account.WIRES) + "\""), claims);

        try (Connection rack = Nats.connect(options(creds).build())) {
            // Connected, and narrowed: before the Mixer deployed a patch to it, no wire (RackWireGrantTest: with one).
            assertEquals(Connection.Status.CONNECTED, rack.getStatus());
            assertThrows(Exception.class, () -> rack.jetStreamManagement().addStream(StreamConfiguration.builder().name("WIRE_lab")
                    .subjects("fluxrig.wire.lab").storageType(StorageType.File).build()));
            assertThrows(Exception.class, () -> rack.jetStream().publish("fluxrig.wire.lab", "m".getBytes(StandardCharsets.UTF_8)));
        }

        try (FakeRack running = f.start("lab", dir, 100)) {
            String id = f.mixer.commands().enqueue("lab", "renew-certificate", Map.of());
            Await.until("a renewed NATS credential", () -> {
                try {
                    return !Creds.read(creds).jwt().equals(jwt);
                } catch (IOException e) {
                    return false;
                }
            }, MixerFixture.PATIENCE);
            assertTrue(id.length() > 0);
        }
        String renewed = Creds.read(creds).jwt();
        assertNotEquals(Jwt.claimsJson(jwt).replaceAll(".*\"sub\":\"(U[A-Z0-9]+)\".*", "$1"),
                Jwt.claimsJson(renewed).replaceAll(".*\"sub\":\"(U[A-Z0-9]+)\".*", "$1"), "a new key for the new certificate");
        try (Connection rack = Nats.connect(options(creds).build())) {
            assertEquals(Connection.Status.CONNECTED, rack.getStatus());
        }
    }

    /**
     * Attack: whoever copies the Mixer's data folder becomes the NATS operator. The folder holds
     * only signing keys (the Mixer signed the credentials above with them): no operator or
     * account identity seed, so no new operator JWT or account can be made from it.
     */
    @Test
    void theMixersDataFolderHoldsNoIdentitySeedOfTheRootOfTrust() throws Exception {
        f.enrol("signed-by-signing-key");
        java.util.List<String> identities = new java.util.ArrayList<>();
        try (var seeds = Files.list(f.nats.trust().dir())) {
            for (Path seed : seeds.filter(p -> p.getFileName().toString().endsWith(".nk")
                    && !p.getFileName().toString().contains("signing")).toList()) {
                identities.add(Files.readString(seed).trim());
            }
        }
        assertEquals(4, identities.size(), "operator, system, Mixer and wires accounts");
        int files = 0;
        try (var all = Files.walk(f.dir.resolve("mixer"))) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
                for (String seed : identities) {
                    assertTrue(!text.contains(seed), p + " holds an identity seed of the NATS root of trust");
                }
                files++;
            }
        }
        assertTrue(files > 0);
        assertTrue(!NatsTrust.load(f.dir.resolve("mixer/nats/trust")).holdsOperatorIdentity());
    }

    /** Attack: a revoked rack keeps reading and writing wires with the NATS credential it was given. */
    @Test
    void revokingARackClosesItsNatsConnectionAndRefusesItsCredential() throws Exception {
        Path dir = f.enrol("gone");
        Path creds = dir.resolve("nats.creds");
        Path other = f.enrol("stays");
        try (Connection rack = Nats.connect(options(creds).maxReconnects(-1).reconnectWait(Duration.ofMillis(200)).build())) {
            assertEquals(Connection.Status.CONNECTED, rack.getStatus());
            assertEquals(200, f.api("/api/racks/gone/revoke", "{}", f.operatorToken).statusCode());
            Await.until("the revoked rack's NATS connection is closed by the server", () -> rack.getStatus() != Connection.Status.CONNECTED,
                    CUT_OFF);
        }
        assertRefused(creds);

        // A server restarted without the revocation: its resolver folder lost the wires account's
        // JWT (a new or rebuilt server; a configuration written after the revoke preloads an
        // account without it the same way). The Mixer checks what the server holds when it is
        // back and pushes the revocations again; the revoked rack trying to connect meanwhile
        // makes the server load the account while the push arrives.
        int outages = outages();
        long pushedAgain = revocations().pushedAgain();
        Path wiresJwt = f.nats.store().resolve("auth").resolve("jwt")
                .resolve(f.nats.trust().accountPublicKey(NatsTrust.Account.WIRES) + ".jwt");
        f.nats.stop();
        Instant down = Instant.now();
        Files.delete(wiresJwt);
        f.nats.start();
        Await.until("the Mixer saw the outage and is connected again", () -> outages() > outages
                && f.mixer.store().health().isConnected(), MixerFixture.PATIENCE);
        Await.until("the revoked credential is refused after the NATS restart", () -> refused(creds), CUT_OFF);
        Await.until("the Mixer read the revocation back from the restarted server", () -> {
            RevocationKeeper.Status s = revocations();
            return s.held() && s.checkedAt() != null && s.checkedAt().isAfter(down);
        }, MixerFixture.PATIENCE);
        assertTrue(revocations().pushedAgain() > pushedAgain, "the Mixer found the revocation missing and pushed it again");
        assertRefused(creds);

        try (Connection rack = Nats.connect(options(other.resolve("nats.creds")).build())) {
            assertEquals(Connection.Status.CONNECTED, rack.getStatus(), "another rack keeps its access");
        }
    }
}
