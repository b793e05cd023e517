package io.fluxrig.mixer.ca;

import io.fluxrig.snake.api.RackNames;
import io.fluxrig.snake.api.tls.Pem;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * The Mixer's own certificate authority: an EC P-256 key and a self-signed certificate kept in
 * the Mixer data folder ({@code ca.key} mode 0600, {@code ca.crt}). It issues rack client
 * certificates from CSRs and the Mixer's TLS server certificates.
 *
 * <p>Security: only the public key and the subject CN of a CSR are used; every extension is set
 * here (never copied from the CSR), so a rack cannot ask for CA rights or server usage. Signing
 * uses the JDK's providers (BouncyCastle only builds and parses ASN.1), so no JVM-global
 * provider is registered. Immutable and thread-safe after construction.
 */
public final class MixerCa {
    private static final String SIG = "SHA256withECDSA";

    private final PrivateKey key;
    private final X509Certificate cert;
    private final SecureRandom random;

    private MixerCa(PrivateKey key, X509Certificate cert, SecureRandom random) {
        this.key = key;
        this.cert = cert;
        this.random = random;
    }

    /**
     * Loads the CA from {@code dir}, or creates it there at first start (blocking file I/O).
     *
     * @param dir the Mixer data folder
     * @param random randomness for keys and serials
     * @return the CA
     * @throws IOException when the files cannot be read or written
     * @throws GeneralSecurityException when the stored material is invalid
     */
    public static MixerCa loadOrCreate(Path dir, SecureRandom random) throws IOException, GeneralSecurityException {
        Path keyFile = dir.resolve("ca.key");
        Path certFile = dir.resolve("ca.crt");
        if (Files.exists(keyFile) && Files.exists(certFile)) {
            X509Certificate c = Pem.parseCertificates(Files.readString(certFile)).get(0);
            return new MixerCa(readKey(Files.readString(keyFile)), c, random);
        }
        KeyPair kp = ecKeyPair(random);
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=fluxrig mixer CA " + Long.toHexString(random.nextLong() & Long.MAX_VALUE));
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(random),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(3650))), subject, kp.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            X509Certificate c = sign(b, kp.getPrivate());
            Pem.write(keyFile, Pem.encode("PRIVATE KEY", kp.getPrivate().getEncoded()), true);
            Pem.write(certFile, Pem.certificates(c), false);
            return new MixerCa(kp.getPrivate(), c, random);
        } catch (IOException | OperatorCreationException e) {
            throw new GeneralSecurityException("creating the Mixer CA failed: " + e.getMessage(), e);
        }
    }

    /** @return the CA certificate */
    public X509Certificate certificate() {
        return cert;
    }

    /**
     * @return {@code sha256:<hex>} of the CA certificate, what {@code --ca-hash} pins
     * @throws GeneralSecurityException never for a valid certificate
     */
    public String hash() throws GeneralSecurityException {
        return Pem.hash(cert);
    }

    /**
     * Verifies a CSR and issues a rack client certificate for it.
     *
     * @param csrPem the CSR in PEM
     * @param expectedName the rack name bound to the token, or null to take the CSR's CN
     * @param notBefore start of validity
     * @param lifetime validity length
     * @return the rack certificate (subject CN = rack name, EKU clientAuth)
     * @throws CsrException naming why the CSR was refused (bad CSR, name mismatch)
     * @throws GeneralSecurityException when signing fails
     */
    public X509Certificate issueRack(String csrPem, String expectedName, Instant notBefore, Duration lifetime)
            throws CsrException, GeneralSecurityException {
        JcaPKCS10CertificationRequest csr = parseCsr(csrPem);
        String cn = commonName(csr.getSubject());
        String refused = RackNames.problem(cn);
        if (refused != null) {
            throw new CsrException("bad CSR: subject CN: " + refused);
        }
        if (expectedName != null && !expectedName.equals(cn)) {
            throw new CsrException("name mismatch: the token is for rack '" + expectedName + "', the CSR names '" + cn + "'");
        }
        PublicKey pub = csr.getPublicKey();
        if (!(pub instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() < 256) {
            throw new CsrException("bad CSR: the key must be EC P-256 or larger");
        }
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(cert, serial(random), Date.from(notBefore),
                    Date.from(notBefore.plus(lifetime)), new X500Name("CN=" + cn), pub);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(cert));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pub));
            return sign(b, key);
        } catch (IOException | OperatorCreationException e) {
            throw new GeneralSecurityException("issuing a rack certificate failed: " + e.getMessage(), e);
        }
    }

    /**
     * Issues a fresh server identity (new key each time: it lives in memory only).
     *
     * @param names host names and IP addresses for the subject alternative names
     * @param lifetime validity length
     * @return key and chain (server certificate, CA certificate)
     * @throws GeneralSecurityException when signing fails
     */
    public ServerIdentity issueServer(List<String> names, Duration lifetime) throws GeneralSecurityException {
        KeyPair kp = ecKeyPair(random);
        Instant now = Instant.now();
        try {
            GeneralName[] sans = new GeneralName[names.size()];
            for (int i = 0; i < sans.length; i++) {
                String n = names.get(i);
                sans[i] = isIp(n) ? new GeneralName(GeneralName.iPAddress, n) : new GeneralName(GeneralName.dNSName, n);
            }
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(cert, serial(random),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(lifetime)),
                    new X500Name("CN=fluxrig mixer"), kp.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(cert));
            return new ServerIdentity(kp.getPrivate(), new X509Certificate[] {sign(b, key), cert});
        } catch (IOException | OperatorCreationException e) {
            throw new GeneralSecurityException("issuing the server certificate failed: " + e.getMessage(), e);
        }
    }

    /**
     * @param subjectDn an X.500 name as the JDK prints it
     * @return its CN, or null
     */
    public static String commonName(String subjectDn) {
        return commonName(new X500Name(subjectDn));
    }

    private static String commonName(X500Name name) {
        RDN[] cns = name.getRDNs(BCStyle.CN);
        return cns.length == 1 ? IETFUtils.valueToString(cns[0].getFirst().getValue()) : null;
    }

    private static JcaPKCS10CertificationRequest parseCsr(String pem) throws CsrException {
        Object o;
        try (PEMParser p = new PEMParser(new StringReader(pem == null ? "" : pem))) {
            o = p.readObject();
        } catch (IOException | RuntimeException e) {
            throw new CsrException("bad CSR: not a PEM certificate request (" + e.getMessage() + ")");
        }
        if (!(o instanceof PKCS10CertificationRequest req)) {
            throw new CsrException("bad CSR: not a PEM certificate request");
        }
        try {
            JcaPKCS10CertificationRequest csr = new JcaPKCS10CertificationRequest(req);
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(csr.getPublicKey()))) {
                throw new CsrException("bad CSR: signature does not verify");
            }
            return csr;
        } catch (GeneralSecurityException | OperatorCreationException | PKCSException | RuntimeException e) {
            throw new CsrException("bad CSR: " + e.getMessage());
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(SIG).build(signer)));
    }

    private static KeyPair ecKeyPair(SecureRandom random) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), random);
        return g.generateKeyPair();
    }

    private static PrivateKey readKey(String pem) throws GeneralSecurityException {
        String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(java.util.Base64.getDecoder().decode(b64)));
    }

    private static BigInteger serial(SecureRandom random) {
        return new BigInteger(127, random).add(BigInteger.ONE);
    }

    private static boolean isIp(String n) {
        if (!n.matches("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*")) {
            return false;
        }
        try {
            InetAddress.getByName(n); // a literal: no DNS lookup happens for it
            return true;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
