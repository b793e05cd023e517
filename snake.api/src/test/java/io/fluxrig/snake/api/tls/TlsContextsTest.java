package io.fluxrig.snake.api.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TLS helpers in a real TLS 1.3 handshake between two sockets on loopback. */
class TlsContextsTest {
    record Issued(PrivateKey key, X509Certificate cert) {
    }

    private static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static Issued issue(String cn, Issued ca, boolean isCa) throws Exception {
        KeyPair kp = ec();
        Instant now = Instant.now();
        var b = new JcaX509v3CertificateBuilder(new X500Name(ca == null ? "CN=" + cn : ca.cert().getSubjectX500Principal().getName()),
                BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofHours(1))),
                new X500Name("CN=" + cn), kp.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        if (!isCa) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, "localhost")));
        }
        PrivateKey signer = ca == null ? kp.getPrivate() : ca.key();
        X509Certificate c = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
        return new Issued(kp.getPrivate(), c);
    }

    /** Runs one handshake; returns the client's view of the server's CN and the server's view of the client's. */
    private static List<String> handshake(SSLContext server, boolean needClientAuth, SSLContext client) throws Exception {
        try (SSLServerSocket ss = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0)) {
            ss.setNeedClientAuth(needClientAuth);
            CompletableFuture<String> peer = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                    s.startHandshake();
                    s.getOutputStream().write(1);
                    s.getOutputStream().flush();
                    return needClientAuth ? ((X509Certificate) s.getSession().getPeerCertificates()[0])
                            .getSubjectX500Principal().getName() : "";
                } catch (IOException e) {
                    return "refused: " + e.getMessage();
                }
            });
            try (SSLSocket c = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", ss.getLocalPort())) {
                c.setSSLParameters(TlsContexts.parameters());
                c.startHandshake();
                c.getInputStream().read();
                return List.of(c.getSession().getProtocol(),
                        ((X509Certificate) c.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName(),
                        peer.get(10, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void mutualTlsWithTheCaAsTheOnlyAnchor() throws Exception {
        Issued ca = issue("test-ca", null, true);
        Issued server = issue("mixer", ca, false);
        Issued rack = issue("edge-1", ca, false);
        SSLContext serverCtx = TlsContexts.mutual(server.key(), new X509Certificate[] {server.cert(), ca.cert()}, ca.cert());
        SSLContext rackCtx = TlsContexts.mutual(rack.key(), new X509Certificate[] {rack.cert(), ca.cert()}, ca.cert());
        assertEquals(List.of("TLSv1.3", "CN=mixer", "CN=edge-1"), handshake(serverCtx, true, rackCtx));
        // A client that only trusts the CA (the CLI, the endpoint probe).
        assertEquals(List.of("TLSv1.3", "CN=mixer", ""), handshake(serverCtx, false, TlsContexts.trusting(ca.cert())));
    }

    @Test
    void aServerOfAnotherCaIsRefused() throws Exception {
        Issued ca = issue("test-ca", null, true);
        Issued other = issue("other-ca", null, true);
        Issued server = issue("mixer", other, false);
        SSLContext serverCtx = TlsContexts.mutual(server.key(), new X509Certificate[] {server.cert(), other.cert()}, other.cert());
        IOException e = assertThrows(IOException.class, () -> handshake(serverCtx, false, TlsContexts.trusting(ca.cert())));
        assertTrue(e.getMessage().contains("PKIX") || e.getMessage().contains("certification path"), e.getMessage());
    }

    @Test
    void pemRoundTripsAndTheHashIsOfTheDer(@TempDir Path tmp) throws Exception {
        Issued ca = issue("test-ca", null, true);
        String pem = Pem.certificates(ca.cert());
        assertEquals(List.of(ca.cert()), Pem.parseCertificates(pem));
        assertTrue(Pem.hash(ca.cert()).matches("sha256:[0-9a-f]{64}"));
        Path key = tmp.resolve("k/rack.key");
        Pem.write(key, Pem.encode("PRIVATE KEY", ca.key().getEncoded()), true);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertEquals(ca.key(), Pem.privateKey(Files.readString(key), "EC"));
        Path crt = tmp.resolve("ca.crt");
        Pem.write(crt, pem, false);
        assertEquals(ca.cert(), Pem.readCertificate(crt));
        assertThrows(java.security.GeneralSecurityException.class, () -> Pem.parseCertificates("no pem here"));
    }
}
