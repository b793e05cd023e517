package io.fluxrig.mixer.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MixerCaTest {
    @TempDir
    Path dir;

    @Test
    void caIsCreatedOnceWithPrivateKeyFileAndReloadedWithTheSameHash() throws Exception {
        MixerCa ca = MixerCa.loadOrCreate(dir, new SecureRandom());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca.key"))));
        assertTrue(ca.hash().matches("sha256:[0-9a-f]{64}"));
        assertEquals(0, ca.certificate().getBasicConstraints());
        ca.certificate().verify(ca.certificate().getPublicKey());
        assertEquals(ca.hash(), MixerCa.loadOrCreate(dir, new SecureRandom()).hash());
    }

    @Test
    void issuesARackCertificateThatVerifiesAgainstTheCa() throws Exception {
        MixerCa ca = MixerCa.loadOrCreate(dir, new SecureRandom());
        KeyPair kp = ecKey();
        Instant now = Instant.now();
        X509Certificate c = ca.issueRack(csr("edge-1", kp), "edge-1", now, Duration.ofDays(30));
        c.verify(ca.certificate().getPublicKey());
        c.checkValidity();
        assertEquals("CN=edge-1", c.getSubjectX500Principal().getName());
        assertEquals(List.of("1.3.6.1.5.5.7.3.2"), c.getExtendedKeyUsage()); // clientAuth only
        assertEquals(-1, c.getBasicConstraints());
        assertEquals(kp.getPublic(), c.getPublicKey());
        assertEquals(Duration.ofDays(30).toSeconds(), (c.getNotAfter().getTime() - c.getNotBefore().getTime()) / 1000);
    }

    @Test
    void refusesNameMismatchAndBadCsrs() throws Exception {
        MixerCa ca = MixerCa.loadOrCreate(dir, new SecureRandom());
        CsrException mismatch = assertThrows(CsrException.class,
                () -> ca.issueRack(csr("other", ecKey()), "edge-1", Instant.now(), Duration.ofDays(1)));
        assertTrue(mismatch.getMessage().startsWith("name mismatch"), mismatch.getMessage());
        CsrException garbage = assertThrows(CsrException.class,
                () -> ca.issueRack("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n", null,
                        Instant.now(), Duration.ofDays(1)));
        assertTrue(garbage.getMessage().startsWith("bad CSR"), garbage.getMessage());
        CsrException badName = assertThrows(CsrException.class,
                () -> ca.issueRack(csr("bad name/x", ecKey()), null, Instant.now(), Duration.ofDays(1)));
        assertTrue(badName.getMessage().startsWith("bad CSR"), badName.getMessage());
    }

    @Test
    void serverCertificateCarriesTheSubjectAlternativeNames() throws Exception {
        MixerCa ca = MixerCa.loadOrCreate(dir, new SecureRandom());
        ServerIdentity id = ca.issueServer(List.of("mixer.example", "127.0.0.1"), Duration.ofDays(1));
        X509Certificate leaf = id.chain()[0];
        leaf.verify(ca.certificate().getPublicKey());
        assertEquals(ca.certificate(), id.chain()[1]);
        assertEquals(List.of(List.of(2, "mixer.example"), List.of(7, "127.0.0.1")),
                leaf.getSubjectAlternativeNames().stream().toList());
    }

    static KeyPair ecKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    static String csr(String cn, KeyPair kp) throws Exception {
        var req = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + cn), kp.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(req);
        }
        return w.toString();
    }
}
