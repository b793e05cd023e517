package io.fluxrig.nats.local.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The NATS CA's certificates, read back by the JDK (the handshakes with nats-server are test.support's NatsServerTest). */
class LocalCaTest {
    @TempDir
    Path dir;

    @Test
    void theServerCertificateChainsToTheKeptCaAndNamesItsHostsAndUsages() throws Exception {
        LocalCa ca = LocalCa.loadOrCreate(dir.resolve("ca"));
        ServerTls tls = ca.issueServer(dir.resolve("server"), List.of("127.0.0.1", "localhost", "::1"), Duration.ofDays(2));
        X509Certificate server = read(tls.certificate());
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        PKIXParameters p = new PKIXParameters(Set.of(new TrustAnchor(read(tls.ca()), null)));
        p.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(cf.generateCertPath(List.of(server)), p); // throws when it does not chain
        assertEquals(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"), server.getExtendedKeyUsage(), "serverAuth, clientAuth (routes)");
        assertEquals(-1, server.getBasicConstraints(), "not a CA");
        assertEquals(List.of(List.of(7, "127.0.0.1"), List.of(2, "localhost"), List.of(7, "0:0:0:0:0:0:0:1")),
                server.getSubjectAlternativeNames().stream().map(List::copyOf).toList());
        assertEquals(0, read(tls.ca()).getBasicConstraints(), "the CA signs servers only (path length 0)");
        assertTrue(server.getNotAfter().getTime() - System.currentTimeMillis() <= Duration.ofDays(2).toMillis());

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca").resolve(LocalCa.KEY))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.key())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca"))));

        LocalCa again = LocalCa.loadOrCreate(dir.resolve("ca"));
        assertEquals(ca.certificate(), again.certificate(), "kept: the same CA at the next start");
        X509Certificate next = read(again.issueServer(dir.resolve("server"), List.of("127.0.0.1"), Duration.ofDays(1)).certificate());
        next.verify(ca.certificate().getPublicKey());
        assertTrue(!next.getPublicKey().equals(server.getPublicKey()), "a new key for each server certificate");
    }

    private static X509Certificate read(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
