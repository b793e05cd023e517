package io.fluxrig.mixer.operator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.mixer.ca.MixerCa;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Dictionary;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator endpoint's Felix HTTP configuration and its key store. */
class OperatorEndpointTest {
    @TempDir
    Path dir;

    @Test
    void felixServesOnlyHttpsWithTls13OnTheConfiguredAddress() {
        HttpsKeystore ks = new HttpsKeystore(dir.resolve("k.p12"), "pw");
        Dictionary<String, Object> p = new OperatorEndpoint("127.0.0.1", 9443, ks).felixConfiguration();
        assertEquals(false, p.get("org.apache.felix.http.enable"));
        assertEquals(true, p.get("org.apache.felix.https.enable"));
        assertEquals("127.0.0.1", p.get("org.apache.felix.http.host"));
        assertEquals(9443, p.get("org.osgi.service.http.port.secure"));
        assertEquals(dir.resolve("k.p12").toString(), p.get("org.apache.felix.https.keystore"));
        assertEquals("pw", p.get("org.apache.felix.https.keystore.password"));
        assertEquals("TLSv1.3", p.get("org.apache.felix.https.jetty.protocols.included"));
        assertEquals("0.0.0.0", new OperatorEndpoint("", 1, ks).felixConfiguration().get("org.apache.felix.http.host"));
    }

    @Test
    void theUrlNamesTheBoundAddressOrLoopback() {
        HttpsKeystore ks = new HttpsKeystore(dir, "pw");
        assertEquals("https://127.0.0.1:8443", new OperatorEndpoint("127.0.0.1", 8443, ks).url());
        assertEquals("https://127.0.0.1:8443", new OperatorEndpoint("", 8443, ks).url());
        assertEquals("https://10.1.2.3:1", new OperatorEndpoint("10.1.2.3", 1, ks).url());
        assertEquals("https://[::1]:2", new OperatorEndpoint("::1", 2, ks).url());
    }

    @Test
    void theKeyStoreIsPrivateHoldsTheCaIssuedChainAndGetsAFreshPasswordEachTime() throws Exception {
        SecureRandom random = new SecureRandom();
        MixerCa ca = MixerCa.loadOrCreate(dir, random);
        var identity = ca.issueServer(List.of("localhost", "127.0.0.1"), Duration.ofDays(1));
        HttpsKeystore first = HttpsKeystore.write(dir, identity, random);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first.file())));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(first.file())) {
            ks.load(in, first.password().toCharArray());
        }
        Certificate[] chain = ks.getCertificateChain("mixer");
        assertArrayEquals(identity.chain(), chain);
        assertEquals(identity.key(), ks.getKey("mixer", first.password().toCharArray()));
        HttpsKeystore second = HttpsKeystore.write(dir, identity, random);
        assertEquals(first.file(), second.file());
        assertNotEquals(first.password(), second.password());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(second.file())));
    }

    @Test
    void portZeroIsRefusedBecauseTheReadinessLineMustNameThePort() {
        HttpsKeystore ks = new HttpsKeystore(dir, "pw");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OperatorEndpoint("", 0, ks));
        assertTrue(e.getMessage().startsWith("fluxrig.mixer api.port: 0 cannot be used"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new OperatorEndpoint("", 65536, ks));
    }
}
